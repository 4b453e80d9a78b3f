"""The offline writer: every report section from the week's events by template, without a language model.

writer.py names the section writers (key_developments, geopolitical, military, outlook, structured,
executive_summary); grouping.py and partners.py order and name what they talk about; templates.py
holds the phrase tables. They use the shared rules (watchfloor.report.rules) and report English
(watchfloor.report.wording), never the LLM side, the document or the renderers.
"""
