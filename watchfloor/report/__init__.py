"""The report room: a country-week's events made into the weekly security assessment.

Its modules, each importing only those listed before it:

- model (the section models and the Briefing a writer gets), citations, dates, wording (report English);
- rules/: what every report follows whoever writes it: annex, threat_level, hotspots (with how place
  names compare), gaps, since_last_week;
- offline/: the offline writer, one module per section, its phrase tables in templates.py;
- llm/: the client (with its reply cache and reply parsing), the prompts, the validators of replies;
- sections: the briefing, and each section written by the LLM or by the offline writer standing in;
- document: the report document and the one function that assembles it; render: Markdown, HTML, JSON.

Beside them, needing only model: maps/ (hotspots.png) and alerts (threat-level rises, failing feeds).
report/ may import core, text, places, events and articles; no other room imports it.
"""
