"""Text of articles: HTML to visible text (html), language identification (language), canonical
URLs and article ids (urls), month and weekday names (calendar_words), content tokens and their
overlap (tokens), and the anatomy of an article (anatomy): headline cleaning, datelines, captions
and credits, sentence splitting, the lead. Every room that cuts an article uses anatomy, so
relevance, events and the writers agree on where a headline ends and a lead begins.
text imports only core.
"""
