"""From articles to events. relevance: is a country a subject of an article, or named in passing
(the weighted-mention rule; its name tables in names). extraction: a relevant article's happening
as a candidate (category: the keyword rule, its tables in phrases; dates; place and partners;
intensity), and merge: candidates of one happening as one event row.
events imports core, text and places; articles uses relevance when it builds a week.
"""
