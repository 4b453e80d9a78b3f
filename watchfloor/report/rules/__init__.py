"""The rules every report follows, whoever writes its prose (the offline writer or an LLM).

- annex: the week's events as briefs and the numbered annex of the articles they cite;
- threat_level: the documented threat-level rule;
- hotspots: events grouped into places, the hotspot limits, and how place names compare;
- gaps: the intelligence-gaps note;
- since_last_week: the threat level and event count against the week before.

These modules import only watchfloor.report.model, .citations, .dates and .wording and the rooms
below report/ (core, text, places); the writers, the document and the renderers import them.
"""
