"""The offline writer's phrase tables: sentence templates by section and category, and partner names.

Data, not logic: the section modules choose among these and fill them in. Placeholders: {c} the
country, {p} / {P} partner names (lower / capitalised start), {loc} a place, {e} an event reference,
{h} a category heading, {n} / {total} counts, {t} / {T} a theme, {w} " with <partners>".
"""

from __future__ import annotations

OFFLINE_NOTICE = (
    "This report was written by Watchfloor's built-in offline writer, without a language model: its prose "
    "is assembled from templates over the week's extracted events, and its threat level follows the "
    "documented rule."
)

# Partners as they read mid-sentence, where the gazetteer's name does not (codes of blocs, a leading "the").
SPECIAL_PARTNERS = {"XK": "Kosovo"}  # bodies' names: config/actors.yaml
WITH_ARTICLE = frozenset({"US", "GB", "AE", "NL", "PH", "CD", "CF", "DO", "GM", "BS", "MV", "SB", "MH", "KY", "VA", "CZ"})

# -- key developments ----------------------------------------------------------------------------

# After "On <date>, ": what was reported and where ({where}: " in Kyiv", or "" when no place was
# named); {c} the country. The partners follow in a sentence of their own that says only that the
# reporting names them: a template never asserts who acted, who was a target or who was "alongside".
OPENERS: dict[str, list[str]] = {
    "military_activity": ["military activity involving {c} was reported{where}",
                          "reporting described military activity involving {c}{where}"],
    "defense_policy": ["a defence policy development for {c} was reported{where}",
                       "reporting covered a defence policy step by {c}{where}"],
    "diplomacy": ["diplomatic activity involving {c} was reported{where}",
                  "reporting covered diplomatic contacts involving {c}{where}"],
    "cybersecurity": ["a cybersecurity development concerning {c} was reported{where}",
                      "reporting covered a cybersecurity matter concerning {c}{where}"],
    "internal_security": ["an internal security development in {c} was reported{where}",
                          "reporting covered internal security in {c}{where}"],
    "armed_conflict": ["armed violence affecting {c} was reported{where}",
                       "an armed conflict or terrorism incident affecting {c} was reported{where}"],
    "border_security": ["a border or territorial security development for {c} was reported{where}",
                        "reporting covered {c}'s border security{where}"],
    "economic_security": ["an economic or energy security development for {c} was reported{where}",
                          "reporting covered {c}'s economic security{where}"],
    "humanitarian": ["a disaster or humanitarian emergency affecting {c} was reported{where}",
                     "reporting covered humanitarian conditions affecting {c}{where}"],
}
GENERIC_OPENER = ["a development involving {c} was reported{where}"]

# -- geopolitical impact -------------------------------------------------------------------------

CATEGORY_OPENERS = [
    "{h} accounted for {n} of the week's {total} events, led by {e}",
    "{h} drew {n} of the week's {total} events, the most significant being {e}",
    "Under {h}, {n} of {total} events were recorded, headed by {e}",
]

# The judgement on a category present, by a documented rule whose inputs the sentence names: its
# peak intensity (3 or more: a main concern) and its share of the week's events. {n} its events,
# {total} the week's, {peak} the peak intensity, {label} the category mid-sentence.
JUDGEMENT_MAIN = ("With {n} of the week's {total} events and a peak intensity of {peak} of 5, {label} is among the "
                  "main concerns of the week")
JUDGEMENT_MINOR = ("With {n} of the week's {total} events and none above intensity {peak} of 5, {label} reporting "
                   "shows no event of high intensity this week")

# -- outlook -------------------------------------------------------------------------------------

THEMES = {  # what continues, as a noun phrase
    "military_activity": "military activity",
    "defense_policy": "implementation of the defence arrangements reported this week",
    "diplomacy": "high-level diplomatic engagement",
    "cybersecurity": "cyber espionage against government networks",
    "internal_security": "internal security pressure",
    "armed_conflict": "armed violence",
    "border_security": "border and territorial friction",
    "economic_security": "economic and energy security pressure",
    "humanitarian": "humanitarian pressure on relief services",
}
# Three sentence shapes for a trend, by estimative word: "will likely see", "is likely to continue", ...
TREND_FORMS = (
    ("Over the next one to three months, {c} {will_see} further {t} ({conf} confidence), {basis}",
     {"very likely": "will very likely see", "likely": "will likely see", "roughly even chance": "may see"}),
    ("{T} {continue} in the coming weeks ({conf} confidence), {basis}",
     {"very likely": "is very likely to continue", "likely": "is likely to continue",
      "roughly even chance": "has a roughly even chance to continue"}),
    ("{c}'s security picture {feature} {t} through the next quarter ({conf} confidence), {basis}",
     {"very likely": "will very likely keep featuring", "likely": "will likely keep featuring",
      "roughly even chance": "may keep featuring"}),
)
INDICATORS = {
    "military_activity": "announcements of new exercises, deployments or troop movements{w}",
    "defense_policy": "ratification, funding and first implementation steps of defence arrangements{w}, and any procurement announcements",
    "diplomacy": "the frequency and level of visits and agreements{w}",
    "cybersecurity": "new intrusion disclosures, attribution statements and government cyber advisories",
    "internal_security": "protests, arrests and changes in policing or emergency measures around {loc}",
    "armed_conflict": "casualty reports, new attacks and ceasefire statements around {loc}",
    "border_security": "incidents, closures and troop deployments along the border near {loc}",
    "economic_security": "energy supply, trade flows and sanctions measures{w}",
    "humanitarian": "displacement figures, aid access and relief funding for {loc}",
}
RECOMMENDATIONS = {
    "military_activity": "Track the outcomes of {e} and any follow-on exercises{w}, and plan for changes in force posture around {loc}",
    "defense_policy": "Follow the ratification and implementation of the defence arrangements{w}, which will show whether they turn into training, funding or equipment",
    "diplomacy": "Sustain engagement{w} and watch for follow-up commitments from the meetings reported this week, such as {e}",
    "cybersecurity": "Prioritise hardening of government networks and trust in suppliers, and review exposure to the activity reported in {e}",
    "internal_security": "Review the security posture for public gatherings and critical sites around {loc}, and monitor for renewed unrest",
    "armed_conflict": "Restrict non-essential travel near {loc}, keep contingency and evacuation plans current, and monitor for escalation",
    "border_security": "Monitor crossings and deployments along the affected border near {loc}, and keep contingency plans for closures current",
    "economic_security": "Review exposure to supply, energy and trade disruption{w}, and track the measures reported in {e}",
    "humanitarian": "Coordinate with relief organisations on needs around {loc}, and plan for secondary security effects of the emergency",
}
