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

# After "On <date>, ": (with partners, without partners); {c} country, {loc} place, {p} partners.
OPENERS: dict[str, list[tuple[str, str]]] = {
    "military_activity": [
        ("military activity involving {c} was reported at {loc}, with forces or officials from {p} taking part",
         "military activity involving {c} was reported at {loc}"),
        ("{c}'s armed forces were active at {loc} alongside {p}",
         "{c}'s armed forces were reported active at {loc}"),
    ],
    "defense_policy": [
        ("{c} took a defence policy step with {p}, reported from {loc}",
         "{c} took a defence policy step, reported from {loc}"),
        ("a defence policy development involving {c} and {p} was reported in {loc}",
         "a defence policy development for {c} was reported in {loc}"),
    ],
    "diplomacy": [
        ("{c} engaged diplomatically with {p} in {loc}", "{c}'s diplomacy was active in {loc}"),
        ("diplomatic contacts between {c} and {p} took place in {loc}",
         "diplomatic activity involving {c} was reported in {loc}"),
    ],
    "cybersecurity": [
        ("a cybersecurity development concerning {c} and {p} was reported from {loc}",
         "a cybersecurity development concerning {c} was reported from {loc}"),
        ("{c}'s cybersecurity came into focus in {loc}, with {p} involved",
         "{c}'s cybersecurity came into focus in {loc}"),
    ],
    "internal_security": [
        ("an internal security incident in {loc} drew in {p}", "an internal security incident was reported in {loc}"),
        ("public order in {loc} was in focus, with {p} involved", "public order in {loc} was in focus"),
    ],
    "armed_conflict": [
        ("armed violence involving {c} and {p} was reported in {loc}", "armed violence affecting {c} was reported in {loc}"),
        ("an armed conflict or terrorism incident in {loc} involved {p}",
         "an armed conflict or terrorism incident was reported in {loc}"),
    ],
    "border_security": [
        ("a border and territorial security development involving {p} was reported around {loc}",
         "a border and territorial security development was reported around {loc}"),
        ("{c}'s border security was in focus at {loc}, involving {p}", "{c}'s border security was in focus at {loc}"),
    ],
    "economic_security": [
        ("an economic and energy security development involving {c} and {p} was reported in {loc}",
         "an economic and energy security development for {c} was reported in {loc}"),
        ("{c}'s economic security agenda with {p} featured in reporting from {loc}",
         "{c}'s economic security agenda featured in reporting from {loc}"),
    ],
    "humanitarian": [
        ("a disaster or humanitarian emergency affecting {loc} drew in {p}",
         "a disaster or humanitarian emergency affecting {loc} was reported"),
        ("humanitarian conditions in {loc} drew reporting, with {p} involved", "humanitarian conditions in {loc} drew reporting"),
    ],
}
GENERIC_OPENER = [("a development involving {c} and {p} was reported in {loc}", "a development involving {c} was reported in {loc}")]

# -- geopolitical impact -------------------------------------------------------------------------

# A partner's sentence when all its events are of one category.
PARTNER_TEMPLATES = {
    "diplomacy": "With {p}, {c} worked through diplomatic channels, notably {e}",
    "defense_policy": "Ties with {p} moved into defence cooperation, notably {e}",
    "military_activity": "{P} appeared alongside {c} in military activity, notably {e}",
    "cybersecurity": "Cyber reporting involving {p} included {e}",
    "armed_conflict": "{P} is linked to this week's armed conflict reporting, notably {e}",
    "internal_security": "{P} featured in internal security reporting, notably {e}",
    "border_security": "Border and territorial questions with {p} featured, notably {e}",
    "economic_security": "Economic and energy links with {p} featured, notably {e}",
    "humanitarian": "{P} appeared in humanitarian reporting, notably {e}",
}

CATEGORY_OPENERS = [
    "{h} accounted for {n} of the week's {total} events, led by {e}",
    "{h} drew {n} of the week's {total} events, the most significant being {e}",
    "Under {h}, {n} of {total} events were recorded, headed by {e}",
]

# One judgement per category present: (when its peak intensity is 3 or more, when it is lower).
JUDGEMENTS = {
    "military_activity": (
        "Exercise and deployment activity on this scale builds interoperability with foreign forces and signals "
        "{c}'s place in multinational security cooperation",
        "The military activity reported was routine in scale and builds familiarity with partner forces",
    ),
    "defense_policy": (
        "These policy steps mark a substantive shift in {c}'s defence posture and partnerships",
        "The policy steps widen {c}'s circle of defence partners and lay groundwork for training and capability "
        "cooperation rather than changing its posture",
    ),
    "diplomacy": (
        "The diplomatic activity carries security weight beyond routine contacts",
        "The diplomatic calendar shows {c} keeping channels open to several capitals at once",
    ),
    "cybersecurity": (
        "The intrusion reporting points to sustained hostile interest in {c}'s government networks",
        "Cyber reporting was low in intensity this week, centred on policy and cooperation rather than damaging attacks",
    ),
    "internal_security": (
        "Internal security reporting of this intensity indicates pressure on public order that authorities will "
        "need to contain",
        "Internal security reporting remained at a level that routine policing can absorb",
    ),
    "armed_conflict": (
        "Armed conflict at this intensity is the most direct threat to people and infrastructure in the affected areas",
        "Armed conflict reporting was limited in scale, but any recurrence would change the picture quickly",
    ),
    "border_security": (
        "Border incidents of this intensity keep territorial questions at the top of the security agenda",
        "Border reporting keeps territorial questions on the agenda without signs of escalation",
    ),
    "economic_security": (
        "Economic and energy pressure of this intensity exposes {c}'s supply and trade to external leverage",
        "Economic and energy security reporting points to exposure of supply and trade rather than acute disruption",
    ),
    "humanitarian": (
        "A humanitarian emergency of this scale strains emergency services and can feed wider instability",
        "The humanitarian reporting adds localised strain on emergency services",
    ),
}

# -- outlook -------------------------------------------------------------------------------------

THEMES = {  # what continues, as a noun phrase
    "military_activity": "military exercise activity with foreign partners",
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
