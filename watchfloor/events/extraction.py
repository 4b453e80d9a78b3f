"""From a country's articles of one week to its events: what happened, where, when, how serious.

Plain functions, no Dagster: `extract_events(articles, iso2, week, places, gazetteer)` takes the
articles already judged relevant to the country and returns rows of the EVENTS schema
(watchfloor.core.lake), sorted by intensity (highest first), event date and event id. The same articles
give the same rows.

One article gives at most one candidate event: the happening its title and lead report.

Text used
  The title (cleaned of wire prefixes such as "UPDATE 2-" and of an outlet suffix such as
  " - Reuters") and the lead: the first sentences of the summary and body, without datelines
  ("WARSAW, June 25 (Reuters) -"), photo captions and repeats. Articles whose language is not
  English (or undetermined) give no event: the keyword rules below are English.

Category (a keyword rule, weighted)
  Each category of the taxonomy has a phrase table with weights 3 (defining: "cyberattack",
  "border guards", "military exercise"), 2 (typical: "drills", "talks", "smuggling") or 1 (weak:
  "military", "border"). A distinct phrase found in the title scores twice its weight, in the lead
  once. A noise table (sport, markets, business and monetary news, court cases between companies,
  culture and celebrity, obituaries, weather, consumer technology) scores the same way. A phrase
  inside a longer phrase of another table counts only for the longer one ("defence cooperation" is
  defence policy, not diplomacy's "cooperation"). The article is an event of the best-scoring
  category when
      best >= MIN_CATEGORY_SCORE (4)  and  best > noise,
  where best is the highest-scoring category among those with a weight-3 phrase in the title or
  lead (ties go to the taxonomy order); otherwise it is no event: generic words such as "talks",
  "court" or "oil" alone never make an event. The form of a diplomatic act ("signs", "MoU",
  "agreement", "cooperation") counts for diplomacy, but when diplomacy wins only through it, a
  security subject that scores at least as much as the diplomacy proper takes the event (an MoU on
  network security is cybersecurity, a defence cooperation agreement defence policy). Explainers,
  fact boxes, opinion, book reviews, podcasts, quizzes and picture galleries are never events.
  The tables are _RULES and _NOISE below; classify(title, lead) applies the rule.

Date (event_date, date_basis)
  Date expressions in the title and lead, in reading order: "June 24", "24 June 2026", "on Tuesday",
  "last Friday", "yesterday", "today", ranges ("June 20 to July 3", "from June 20", "July 6-8",
  "between ... and ..."). They are resolved against published_at: a date without a year takes the
  year closest to publication; a weekday is the latest such day on or before the publication day
  (or the day after it when the article was published from 14:00 UTC, as Asian outlets date it); a
  range gives its start, or the first day of the week when it began earlier and is still running.
  Skipped: expressions after "since", "until", "by", "before"; in a clause with "will", "next",
  "to be held", "scheduled"; or later than the day after publication. The first expression that is
  not a reporting date ("said on Friday") wins, else the first reporting date, else the date of
  published_at (date_basis "published"; otherwise "text"). Events dated outside the partition week
  keep their date (a visit on June 13 reported on June 25 is dated June 13).

Location (location, lat, lng, location_basis)
  Places (watchfloor.places.index) found in the title and the first three lead sentences, ranked by:
  the title and first lead sentence before later sentences before the dateline; places in the
  country or its partners first; places after "in", "at", "near", "to", "off" ... ("signed in
  Ankara") before places named in passing ("arriving from Ankara"); then specificity (a site such
  as a training area, base, crossing or terminal, then a city, then a capital, then an admin
  region, then a wider region); then position. In the second and third sentences only such
  locative mentions in the country itself (or of a site) count, and a small place (not a capital,
  not curated, under 1M people) in a country the article never mentions is ignored everywhere.
  Without any place: the country's capital (location_basis "capital"; otherwise "text").

Partners
  Countries the gazetteer finds in the title and the first two lead sentences, other than the
  country itself.

Intensity (1-5)
  intensity = clamp(base + casualties + violence - cooperative + corroboration, 1, 5)

  | term          | rule                                                                       |
  |---------------|----------------------------------------------------------------------------|
  | base          | armed_conflict 3; military_activity, border_security, internal_security,   |
  |               | cybersecurity, economic_security, humanitarian 2; defense_policy, diplomacy 1|
  | casualties    | +2 when 10 or more people are reported killed/dead, +1 for any deaths       |
  | violence      | +1 for attack, strike, explosion, blast, bombing, shelling, shot down,      |
  |               | wounded, injured, stabbed, clashes (not in exercises: "simulated attacks") |
  | cooperative   | -1 when the happening is an agreement, MoU, talks, visit or cooperation,   |
  |               | there is no casualty or violence word and the base is 2 or more (an MoU on |
  |               | network security is 1)                                                     |
  | corroboration | +1 when 3 or more distinct outlets report it                               |

  Terms are read from the title and lead of every article of the event.

Merging
  Candidates of the same category whose dates are at most MERGE_DAYS (2) apart are the same
  happening when their title+lead content words overlap: Jaccard >= 0.35; or >= 0.2 with the same
  named place or with the same key terms (capitalised words and numbers, Jaccard >= 0.5). Two text
  places that differ need Jaccard >= 0.5. Merged candidates (union-find, transitive) become one
  event: the headline and summary of its earliest article, the most specific text location, the
  earliest text date, partners united, all article ids (sorted), the distinct outlets (an article's
  `sources` list when present: the outlets that carried it, else its `source`) and their count.

event_id is the first 16 hex digits of SHA-256 of "<country>|<week>|<sorted article ids joined by
','>": stable across runs and changed only when the supporting articles change.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import polars as pl

from watchfloor.core.lake import conform, empty
from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.index import Place, Places

MIN_CATEGORY_SCORE = 4
TITLE_WEIGHT = 2
LEAD_SENTENCES = 3  # sentences of summary + body read for category, partners, places, dates
PARTNER_SENTENCES = 2  # partners: countries named in the title and the first two lead sentences
SUMMARY_SENTENCES = 3
SUMMARY_MAX_CHARS = 480
MERGE_DAYS = 2
CORROBORATION_SOURCES = 3
ENGLISH = frozenset({"en", "und", ""})

BASE_INTENSITY = {
    "armed_conflict": 3,
    "military_activity": 2,
    "border_security": 2,
    "internal_security": 2,
    "cybersecurity": 2,
    "economic_security": 2,
    "humanitarian": 2,
    "defense_policy": 1,
    "diplomacy": 1,
}

# --------------------------------------------------------------------------------------------------
# Keyword tables: weight -> regular-expression fragments (case-insensitive, whole words).

_DEF = r"defen[cs]e"
_RULES: dict[str, dict[int, list[str]]] = {
    "military_activity": {
        3: [r"(?:military|naval|air|joint|live[- ]fire|multinational|command[- ]staff|command[- ]post|"
            r"peacekeeping|tactical|field|combat|snap|large[- ]scale|air[- ]defen[cs]e|river[- ]crossing|"
            r"amphibious|nuclear) (?:exercises?|drills?|manoeuvres|maneuvers)",
            r"war ?games?", r"manoeuvres", r"maneuvers", r"live[- ]fire", r"(?:combat )?readiness (?:check|inspection)",
            r"training (?:area|ground|range|camp)", r"firing range", r"Khaan Quest", r"peacekeepers",
            r"peacekeeping (?:contingent|mission|rotation|troops)", r"air policing", r"show of force",
            r"missile (?:test|launch)", r"test[- ]fired", r"test launch", r"carrier strike group",
            r"troops? (?:deploy(?:ed|ment)|were deployed)", r"deploy(?:ed|s|ment of) (?:troops|forces|soldiers|units)",
            r"(?-i:[A-Z][\w-]+(?: [A-Z][\w-]+)?(?:[- ]\d{2,4})?) (?:exercises?|drills?)",
            r"[\d,.]+ (?:troops|soldiers|sailors|marines)",
            r"combat duty", r"(?:heightened|high|combat) alert", r"placed on alert", r"nuclear[- ]capable",
            r"missile (?:brigade|system|systems|units)", r"military build[- ]?up",
            r"(?:moved|moves|redeploy\w*|relocat\w*) (?:[\w-]+ ){0,5}(?:closer to|near|to) the border",
            r"simulat(?:ed|ing) (?:[\w-]+ ){0,2}attacks?", r"river crossing", r"Iskander", r"Oreshnik",
            r"(?:ballistic|cruise|hypersonic) missile (?:launch|launches|test|tests)",
            r"fire[sd]? (?:an? )?(?:suspected )?(?:ballistic |cruise )?missiles?",
            r"National Guard"],
        2: [r"exercises?", r"drills?", r"drilled", r"troops", r"soldiers", r"warships?", r"destroyers?", r"frigates?",
            r"submarines?", r"fighter jets", r"bombers", r"aircraft carriers?", r"navy", r"naval forces",
            r"marines", r"battalions?", r"brigades?", r"regiments?", r"rehears(?:e|ed|es|ing|al)",
            r"convoy escort", r"contingents?", r"military engineers", r"pontoon bridge", r"patrols?",
            r"practi[sc](?:e|es|ed|ing)",
            r"ballistic missiles?", r"cruise missiles?",
            r"deployed", r"deployment", r"sailors", r"paratroopers", r"flyover"],
        1: [r"military", r"army", r"armed forces", r"air force", r"general staff", r"operational command"],
    },
    "defense_policy": {
        3: [rf"{_DEF} (?:budget|spending|bill|policy|strategy|doctrine|reform|procurement|industry|industrial|"
            rf"cooperation|agreements?|pacts?|deals?|accords|documents|consultations|outlays|plan|spending plan)",
            r"military (?:cooperation|reform|procurement|aid|assistance|moderni[sz]ation|budget|spending|doctrine|"
            r"education|training cooperation|sector|academies|visits)",
            r"arms (?:deals?|sales?|purchases?|exports?|imports?|contracts?|industry)",
            r"security (?:pact|guarantees?|agreement|protocol)", r"National Defen[cs]e Authori[sz]ation Act", r"NDAA",
            r"conscription", r"mobili[sz]ation", r"procurement", r"took delivery", r"takes delivery",
            r"handed over to (?:the )?(?:army|air force|navy|armed forces|air defen[cs]e forces)",
            r"(?:signs?|signed|places?|placed) (?:an? )?(?:PLN |\$|€)?[\d.,]* ?(?:billion |million )?orders?",
            r"orders? (?:more )?(?:[\w,.$-]+ ){0,3}(?:missiles|tanks|jets|drones|interceptors|MANPADS|howitzers|"
            r"helicopters|frigates|submarines|warships|rifles|artillery|ammunition|shells)",
            r"nuclear doctrine", r"equipment moderni[sz]ation", r"moderni[sz]ation of (?:equipment|the armed forces)",
            r"spending target", r"% of GDP", r"per cent of GDP", r"voluntary service", r"recruiting goal",
            r"joint (?:drone |weapons |arms )?production", r"defen[cs]e firms?", r"defen[cs]e contractors?",
            r"(?:joint )?training cent(?:re|er)s?", r"maintenance of (?:\w+ )?(?:systems|launchers|equipment|aircraft)",
            r"(?:Patriot|HIMARS|F-35|F-16|Leopard|Abrams|K2|K9) (?:systems|"
            r"launchers|maintenance|deliveries|units|tanks|jets)",
            r"handed over to [\w'’ ]{0,30}(?:army|air force|navy|armed forces|forces)",
            r"(?:air|missile)[- ]defen[cs]e (?:plan|plans|shield|systems?|"
            r"units|cooperation|agreement|programme|program|funding|spending)",
            r"(?:defen[cs]e|war) (?:secretary|department)", r"Pentagon", r"(?:defen[cs]e|war) ministers?",
            r"(?:aircraft carrier|warship|submarine|frigate|fighter jet|tank|"
            r"missile)s? (?:order|orders|contract|contracts|programme|program|purchase)",
            r"(?:drones|jets|tanks|missiles|aircraft|helicopters|"
            r"vehicles) (?:were |was )?(?:delivered|assembled|built|produced)",
            r"licen[cs]ing agreement", r"first deliver(?:y|ies)"],
        2: [rf"{_DEF} ministers?", rf"{_DEF} chiefs", r"ministers? of (?:national )?defen[cs]e", r"missiles", r"tanks",
            r"air[- ]defen[cs]e systems?", r"Patriot", r"HIMARS", r"F-35s?", r"Leopard", r"interceptors",
            r"MANPADS", r"howitzers", r"military training", r"military personnel", r"armed forces' capabilities",
            r"assembled",
            rf"{_DEF}", r"weapons", r"arms"],
        1: [r"NATO", r"military", r"army", r"ministry of (?:national )?defen[cs]e", r"deliver(?:y|ies|ed)?"],
    },
    "diplomacy": {
        3: [r"foreign ministers?", r"foreign ministry", r"ministry of foreign affairs", r"state visit",
            r"official visit", r"summits?", r"bilateral (?:talks|relations|meeting|ties)",
            r"diplomatic (?:relations|ties|row|talks)",
            r"joint committee", r"joint statement", r"ambassadors?", r"envoys?",
            r"summon(?:ed|s) the", r"charg[ée] d['’]affaires", r"expel(?:led|s)? (?:\w+ )?diplomats?",
            r"embass(?:y|ies)",
            r"human rights dialogue", r"dialogue", r"held talks", r"talks with", r"(?:meet|meets|met|meeting) with",
            r"visit to",
            r"third neighbou?r", r"one[- ]China", r"UN General Assembly", r"peace talks", r"ceasefire talks",
            r"negotiations", r"diplomats?", r"delegations?", r"negotiators?",
            r"cut(?:s|ting)? (?:\w+ )?(?:diplomatic |economic )?ties", r"condemn(?:s|ed)?"],
        2: [r"talks", r"visits?", r"visited", r"met", r"meets", r"meeting", r"relations", r"consultations",
            r"reaffirm(?:ed|s)?", r"Security Council", r"communiqu[ée]", r"observer"],
        1: [r"European Union", r"EU", r"United Nations", r"bilateral", r"minister", r"prime minister", r"president"],
    },
    # The form of a diplomatic act rather than its subject: "signs MoU", "agreement", "cooperation".
    # Counted for diplomacy, but an agreement on a security subject goes to that subject's category
    # (an MoU on network security is cybersecurity, a defence cooperation agreement defence policy).
    "diplomatic_form": {
        3: [r"memorandum of understanding", r"MoU", r"treaty",
            r"sign(?:s|ed|ing)? (?:a |an |the )?(?:\w+ ){0,2}(?:protocol|"
            r"agreement|memorandum|accord|treaty|declaration|MoU)",
            r"reach(?:es|ed)? (?:a |an )?(?:\w+ ){0,3}(?:agreement|deal|accord)"],
        2: [r"agreements?", r"signed", r"signs?", r"cooperation", r"partnership", r"accords?", r"protocol"],
    },
    "cybersecurity": {
        3: [r"cyber[- ]?attacks?", r"cyber[- ]?security", r"cyber[- ]?espionage", r"cyber[- ]?criminals?",
            r"hack(?:s|ed|ers|ing)?", r"hacktivists?", r"ransomware", r"malware", r"spyware", r"wiper",
            r"(?:spear[- ])?phishing", r"DDoS", r"denial[- ]of[- ]service", r"botnets?", r"data (?:breach|leak)",
            r"leak of [\d.,]+ (?:million )?(?:patient |customer |user )?records", r"watering[- ]hole", r"APT ?\d+",
            r"threat actors?", r"zero[- ]days?", r"vulnerabilit(?:y|ies)", r"CERT(?:-\w+)?", r"CISA",
            r"Known Exploited Vulnerabilities", r"network security", r"information security",
            r"state[- ]backed (?:hackers|groups?)",
            r"compromised (?:\w+ )?(?:websites?|servers?|networks?|accounts?|sites)",
            r"Midnight Blizzard", r"Sandworm", r"Fancy Bear", r"NoName057\(16\)", r"NoName057", r"backdoors?",
            r"cyber", r"[A-Za-z]+-CERT", r"computer emergency response team", r"fake login(?: page)?",
            r"(?:China|Chinese|Russia|Russian|Iran|Iranian|North Korea|"
            r"North Korean|state)[- ](?:aligned|linked|backed|nexus|sponsored) "
            r"(?:hacking )?(?:group|groups|actor|actors|hackers|cluster)",
            r"steal(?:s|ing)? (?:documents|data|credentials|passwords|cookies)", r"data theft", r"exfiltrat\w+",
            r"command[- ]and[- ]control", r"infect(?:ed|ing)? (?:visitors|devices|computers|systems)"],
        2: [r"exploits?", r"exploited", r"websites?", r"IT systems", r"servers", r"5G", r"6G", r"spectrum management",
            r"telecommunications", r"broadband", r"digital infrastructure", r"encryption", r"patch(?:es|ed)?",
            r"hacking forum", r"databases?", r"online services", r"equipment suppliers", r"trust in suppliers",
            r"security researchers", r"passwords", r"login page", r"credentials", r"malicious", r"emails"],
        1: [r"data", r"digital", r"internet", r"online"],
    },
    "internal_security": {
        3: [r"arrest(?:ed|s)?", r"detain(?:ed|s)?", r"detention", r"charged (?:\w+ )?with", r"indict(?:ed|ment)",
            r"sentenced", r"jail(?:ed|s)?", r"convicted", r"treason",
            r"counter[- ]?intelligence", r"sabotage", r"plot(?:ting|ted)?", r"extremis[tm]s?", r"protests?",
            r"protesters", r"demonstrat(?:ion|ions|ors)", r"riots?", r"rioting", r"unrest", r"went on strike",
            r"workers? (?:strike|strikes|struck)", r"strike over", r"strikers", r"walkout", r"curfew",
            r"state of emergency", r"security service", r"KNB", r"ABW", r"FSB", r"National Security Committee",
            r"Internal Security Agency", r"corruption", r"bribery", r"organi[sz]ed crime", r"drug trafficking",
            r"coup", r"crackdown", r"murder(?:ed)?", r"shooting", r"gunman", r"police reinforcements",
            r"reinforce(?:d|s)? (?:the )?town", r"blockade", r"block(?:ed|s)? (?:truck )?traffic",
            r"(?:spy|intelligence|security) agency", r"spy agencies", r"(?:knife|sword|machete|gun|axe) attack",
            r"(?:school|mass) shooting", r"stabbing", r"murder plot", r"gunm[ae]n"],
        2: [r"espionage", r"spying", r"spy", r"spies", r"police", r"prosecutors?", r"prosecution", r"court", r"trial",
            r"suspects?", r"suspected",
            r"investigation", r"intelligence service", r"foreign intelligence", r"farmers", r"security audit"],
        1: [r"security", r"government"],
    },
    "armed_conflict": {
        3: [r"war", r"fighting", r"casualties", r"air ?strikes?", r"missile (?:strikes?|attacks?)",
            r"drone (?:strikes?|attacks?)", r"shelling", r"bombardment", r"bombings?", r"suicide bomb(?:er|ing)",
            r"terror(?:ist|ists|ism)", r"militants?", r"insurgents?", r"insurgency", r"rebels?", r"jihadists?",
            r"Islamic State", r"al[- ]Qaeda", r"Hamas", r"Hezbollah", r"Houthis?", r"counter[- ]?offensive",
            r"offensive", r"front ?line", r"invasion", r"shot down", r"struck", r"explosions?", r"blasts?",
            r"prisoners of war", r"prisoner swap", r"hostages?", r"gunmen", r"ambush(?:ed)?", r"armed clashes",
            r"clashes", r"long[- ]range drones", r"attack drones", r"killings?", r"under attack",
            r"(?:Israeli|Russian|Ukrainian|Ukraine|Russia|Israel|US|"
            r"U\.S\.|American|Iranian|Iran|Houthi|Hamas|Hezbollah|"
            r"Pakistani|Indian|Chinese|Syrian|Turkish) (?:attacks?|"
            r"strikes?|air ?strikes?|drone strikes?|drone attacks?|"
            r"missile strikes?|shelling|bombing|bombardment|offensive|assault)"],
        2: [r"attacks?", r"attacked", r"wounded", r"injured", r"dead", r"ceasefire", r"killed", r"kills",
            r"death toll"],
        1: [r"military", r"forces", r"army", r"drones", r"missiles", r"strikes?", r"hit", r"troops",
            r"energy facilities", r"refinery"],
    },
    "border_security": {
        3: [r"border guards?", r"border crossings?", r"border (?:fence|wall|barrier|closure|incident|clash|violation|"
            r"patrol|security|service|troops|demarcation|dispute|commissions?|outposts?|posts?|zone|forces)",
            r"crossed the border", r"crossing the border", r"across the border", r"cross(?:ed|es|ing)? into",
            r"smuggl(?:ing|ers?|ed|e)", r"contraband", r"illegal (?:migra(?:nts|tion)|crossings?)",
            r"migrants?", r"airspace", r"incursions?", r"territorial (?:dispute|waters|integrity|claims)",
            r"maritime (?:boundary|border)", r"coast ?guards?", r"East Shield", r"demarcat(?:e|ion|ing)",
            r"border segments", r"closure of (?:the )?\w+ (?:road )?crossing", r"force (?:the )?border",
            r"exclusive economic zone", r"(?:drone|missile) (?:debris|wreckage|fragments)",
            r"wreckage of an? (?:[\w-]+ ){0,2}(?:drone|missile)", r"crashed (?:drone|missile)",
            r"stray (?:drone|missile)"],
        2: [r"borders?", r"crossing", r"checkpoints?", r"balloons", r"customs", r"undeclared", r"intruding",
            r"frontier"],
        1: [r"Border Service"],
    },
    "economic_security": {
        3: [r"energy security", r"food security", r"fuel (?:shortages?|reserves?|supply|supplies|crisis|imports?)",
            r"gas (?:pipeline|supplies|supply|deal|exports?|imports?|transit)",
            r"oil (?:exports?|loadings?|supplies|supply|pipeline|terminal|embargo|transit)", r"pipelines?", r"LNG",
            r"power (?:grid|outages?|cuts?)", r"blackouts?", r"electricity (?:imports?|supply|supplies)",
            r"sanctions (?:on|against)",
            r"(?:new|fresh|more|further|US|U\.S\.|EU|UN|Western|impose[sd]?|imposing|tougher|toughest|"
            r"lift(?:ed|s)?|ease[sd]?) sanctions", r"export (?:controls?|licen[cs]es)", r"dual[- ]use", r"tariffs?",
            r"trade war", r"embargo",
            r"supply chains?", r"critical minerals", r"rare earths?", r"debt (?:default|crisis)", r"sovereign default",
            r"price cap", r"energy (?:infrastructure|facilities|deal|agreement)",
            r"grain (?:exports?|imports?|corridor|deal)",
            r"nationali[sz]ation", r"investment screening", r"economic coercion", r"sanctions evasion",
            r"circumvent(?:ing)? sanctions", r"Caspian Pipeline Consortium", r"transit route", r"fuel reserves",
            r"(?:fuel|gasoline|petrol|diesel|jet fuel) (?:crunch|shortages?|crisis|rationing)",
            r"limit (?:gasoline|fuel) sales",
            r"(?:imports?|exports?|purchases|buying) of (?:Russian|Iranian|Venezuelan) (?:oil|crude|gas|LNG)",
            r"nuclear (?:power )?(?:plant|station)s?", r"economic warfare"],
        2: [r"sanctions", r"exports?", r"imports?", r"supply", r"supplies", r"uranium", r"refiner(?:y|ies)",
            r"shortages?",
            r"infrastructure", r"loadings", r"power supply", r"trade deal", r"gasoline"],
        1: [r"oil", r"gas", r"energy", r"fuel", r"crude", r"trade", r"mining", r"investment", r"billion", r"economic"],
    },
    "humanitarian": {
        3: [r"floods?", r"flooding", r"flooded", r"earthquakes?", r"quake", r"tsunami", r"landslides?", r"mudslides?",
            r"wildfires?", r"(?:forest|steppe|bush|grass|peat) fires?", r"hectares", r"cyclone", r"typhoon",
            r"hurricane",
            r"tornado", r"avalanche", r"famine", r"epidemic", r"outbreak", r"cholera", r"dzud",
            r"evacuat(?:ed|ion|e|es)",
            r"displaced", r"refugees?", r"humanitarian (?:aid|crisis|assistance|corridor|situation)",
            r"emergency (?:services|workers|management|situations)", r"rescuers?", r"search and rescue", r"disasters?",
            r"homes (?:destroyed|damaged|flooded)", r"without power", r"drought", r"capsiz(?:e|es|ed)",
            r"(?:boat|ship|ferry|vessel) sinks", r"(?:helicopter|plane|bus|train|air) crash(?:es|ed)?",
            r"crash(?:es|ed)? (?:in|into|off|near)",
            r"collaps(?:e|es|ed)", r"accident", r"derail(?:s|ed|ment)", r"(?:hotel|factory|building|house) fire",
            r"fire kills", r"explosion at (?:an? )?(?:factory|mine|plant|warehouse)", r"stampede",
            r"heat(?:stroke| deaths)"],
        2: [r"fires?", r"torrential rain", r"heavy rain", r"storms?", r"victims", r"relief", r"shelters?", r"NEMA",
            r"aid"],
        1: [r"rain"],
    },
}

_NOISE: dict[int, list[str]] = {
    3: [r"football", r"soccer", r"tennis", r"Wimbledon", r"golf", r"cricket", r"rugby", r"baseball", r"basketball",
        r"NBA", r"NFL", r"MLB", r"NHL", r"Formula One", r"F1", r"Grand Prix", r"Olympics?", r"World Cup",
        r"Premier League", r"Champions League", r"Ligue 1", r"semi[- ]finals?", r"quarter[- ]finals?", r"striker",
        r"winger", r"midfielder", r"goalkeeper", r"innings", r"wrestl(?:ing|ers?)", r"qualifier", r"WTA", r"ATP",
        r"stock exchange", r"stocks?", r"shares", r"bourse", r"index", r"indices", r"WIG20", r"KASE", r"MSE",
        r"Nikkei", r"Nasdaq", r"S&P 500", r"bitcoin", r"crypto(?:currency|currencies)?", r"exchange rate",
        r"per (?:US )?dollar", r"per euro", r"bond yields?", r"earnings", r"profits?", r"revenue", r"dividends?",
        r"IPO",
        r"festival", r"films?", r"movie", r"concerts?", r"album", r"singers?", r"K-pop", r"actor", r"actress",
        r"celebrity", r"marries", r"married", r"wedding", r"fashion", r"exhibition", r"biennale", r"museum",
        r"book review", r"novel", r"restaurant", r"chef", r"throat[- ]singing", r"ensemble", r"box office",
        r"weather", r"forecasters?", r"heat ?wave", r"heat warnings?", r"thunderstorms?", r"temperatures?",
        r"iOS", r"iPhone", r"smartphones?", r"software update", r"attendees", r"exhibitors",
        r"(?:oil|gold|copper|crude|Brent|stocks?|shares|dollar|yen|euro|rouble|ruble|tenge|zloty|tugrik|bitcoin) "
        r"(?:rises|rose|falls|fell|firms|firmed|weakens|weakened|"
        r"slips|slipped|climbs|climbed|jumps|jumped|drops|dropped|"
        r"gains|gained|hits|steadies|edges|extends)",
        r"a barrel", r"per barrel", r"share prices?", r"market close", r"trading session",
        r"free agent", r"pitcher", r"quarterback", r"touchdown", r"home runs?", r"playoffs?", r"wild[- ]card",
        r"injured list", r"MVP", r"WNBA", r"NCAA", r"Grand Slam", r"IndyCar", r"NASCAR", r"boxing", r"UFC",
        r"Super League", r"Serie A", r"Bundesliga", r"La Liga", r"Test match", r"test series", r"Diamond League",
        r"signs? (?:\w+ ){0,3}(?:forward|striker|midfielder|defender|"
        r"winger|goalkeeper|pitcher|quarterback|LHP|RHP|WRs?|QB|guard)",
        r"inflation", r"interest rates?", r"rate (?:cut|hike)s?", r"central bank", r"buyout", r"mergers?", r"takeover",
        r"private equity", r"GDP growth", r"economic growth", r"economic activity", r"consumer prices", r"retail sales",
        r"FOMC", r"Federal Reserve", r"Fed", r"yields", r"mortgages?", r"lawsuit", r"class action", r"antitrust",
        r"patents?", r"obituary", r"(?:dies|died|dead) at \d+", r"died at the age", r"box office", r"streaming",
        r"(?:first|second|third|fourth|fifth) test", r"acquire[sd]?", r"brawl(?:ing)?"],
    2: [r"match", r"tournament", r"championships?", r"league", r"squad", r"coach", r"medals?", r"athletes?",
        r"players?", r"team", r"seed", r"tugrik", r"tenge", r"zloty", r"rouble", r"ruble", r"yen", r"investors",
        r"traders", r"Brent", r"markets?", r"record high", r"three-month high",
        r"prices? (?:rose|rise|rises|fell|fall|falls|climb|climbs|slip|slips)",
        r"rall(?:y|ies|ied)", r"output", r"production forecast", r"auctions?", r"tickets", r"tour", r"art",
        r"prize", r"awards?", r"celebrat(?:e|ed|ion)", r"showers", r"sunny", r"update", r"bugs?", r"quarterly",
        r"season", r"games?", r"inning", r"roster", r"racing", r"retire", r"deal worth", r"acquisitions?",
        r"fund", r"bonds?", r"settlement", r"shareholders", r"investors?", r"sales", r"insurance", r"pricing",
        r"fined"],
    1: [r"record", r"fans", r"rain"],
}

_NOT_EVENT_FORMAT = re.compile(
    r"^(?:explainer|factbox|fact box|opinion|column|breakingviews|book review|review|podcast|quiz|crossword|"
    r"in pictures|photos?|watch|live|video)\b\s*[-:–—]|"
    r"\b(?:things to watch|what (?:you need )?to know|explained:|book review)\b",
    re.IGNORECASE,
)
_WIRE_PREFIX = re.compile(
    r"^(?:(?:UPDATE|WRAPUP|RPT|REFILE|CORRECTED|EXCLUSIVE|BREAKINGVIEWS|ANALYSIS|INSIGHT|FOCUS|FEATURE|"
    r"Exclusive|Analysis|Insight|Focus|Feature)(?: \d+)?\s*[-:]\s*)+"
)
_OUTLET_SUFFIX = re.compile(
    r"\s+[-|–—]\s+(?:[\w-]+\.(?:com|org|net|co\.uk|co|io|news)|Reuters|Bloomberg|"
    r"AP|AP News|AFP|BBC(?: News)?|CNN|Al Jazeera|The Guardian|Financial Times|"
    r"The New York Times|The Washington Post|DW|Euronews|Kyiv Independent|Politico|Axios|Nikkei Asia)\s*$"
)

# --------------------------------------------------------------------------------------------------
# Sentences, datelines and captions.

_ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u st mr mrs ms dr gen lt col maj capt sgt adm gov sen rep rev prof no nos vs etc inc corp co "
    "ltd jr sr jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m e.g i.e approx est fig ft mt".split()
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’-]+(?:[ /][A-Z][A-Z.'’-]+)*(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?)"
    r"(?:,? (?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}))?"
    r"\s*(?:\((?:Reuters|AP|AFP|Bloomberg|Xinhua|Kyodo|Yonhap)\))?\s*[-–—:]\s+"
)
_CAPTION = re.compile(
    r"(?:\bPhoto(?:graph)?:|\bPhoto by\b|REUTERS/|\bFILE PHOTO\b|\bArchive photo\b|\(Photo|Click here|Tap here|"
    r"Advertisement|Follow Us|\(c\) Copyright|Read more|READ MORE|Sign up|Subscribe|Text Size)",
)
_QUOTE_START = re.compile(r"^[\"“‘']")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just more most no nor not now of off on once only or
    other our out over own same she should so some such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would you
    your said says say told according new also one two three four five six seven eight nine ten year years week
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december today yesterday last first per cent percent about around more than""".split()
)

# --------------------------------------------------------------------------------------------------
# Dates.

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:,?\s+(?:20\d\d))"
_MONTH_DAY = rf"(?:{_MONTH_RE}\s+{_DAY_RE}(?!\d){_YEAR_RE}?|{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE}{_YEAR_RE}?)"
_DATE_EXPRESSION = re.compile(
    rf"(?P<range>(?:from\s+|between\s+)?(?P<r1>{_MONTH_DAY})\s*(?:to|until|"
    rf"through|till|and|[-–—])\s*(?P<r2>{_MONTH_DAY}|{_DAY_RE}(?!\d)))"
    rf"|(?P<short>(?P<sm>{_MONTH_RE})\s+(?P<sd1>{_DAY_RE})\s*[-–]\s*(?P<sd2>{_DAY_RE})(?!\d))"
    rf"|(?P<short2>(?P<td1>{_DAY_RE})\s*[-–]\s*(?P<td2>{_DAY_RE})\s+(?P<tm>{_MONTH_RE}))"
    rf"|(?P<single>{_MONTH_DAY})"
    r"|(?P<weekday>(?:(?P<wmod>last|this|next|on|since|until|by|from)\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s)?)"
    r"|(?P<relative>\b(?:yesterday|today)\b)",
    re.IGNORECASE,
)
_SKIP_BEFORE = re.compile(
    r"\b(?:since|until|till|by|before|through|ahead of|as of|starting)\s+(?:the\s+)?$", re.IGNORECASE
)
_FUTURE = re.compile(
    r"\b(?:will|would|next|to be held|to hold|is to|are to|scheduled|plans? to|planned|expected to|due to|"
    r"set to|later this|upcoming|ahead of)\b",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"\b(?:said|says|told|announced|reported|added|stated|confirmed|"
    r"according to|statement|published|wrote)\b[^.;]{0,40}$",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------------------------------
# Intensity words.

_DEATHS = re.compile(r"\b(?:killed|dead|died|deaths?|death toll|fatalities|lost their lives)\b", re.IGNORECASE)
_MANY_DEATHS = re.compile(
    r"\b(?:(?:at least|more than|over|about|nearly|some)\s+)?(?P<n>\d[\d,]*|"
    r"ten|eleven|twelve|dozens|hundreds|thousands)"
    r"\s+(?:\w+\s+){0,3}(?:killed|dead|died|deaths|people were killed)\b"
    r"|\bdeath toll\b[^.]{0,30}?\b(?P<m>\d[\d,]*)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "hundreds": 200, "thousands": 2000}
_VIOLENCE = re.compile(
    r"\b(?:attack(?:s|ed)?|air ?strikes?|(?:drone|missile|"
    r"rocket) strikes?|struck|explosions?|blasts?|bomb(?:s|ing|ings|ed)?|"
    r"shelling|shot down|wounded|injured|stabbed|clash(?:es|ed)?|gunfire|ambush(?:ed)?)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:no|not|nobody|no one|none|without|never)\b(?:\s+[\w’']+){0,3}\s*$", re.IGNORECASE)
_CYBER_HOSTILE = re.compile(r"\b(?:attack(?:s|ed)?|breach|compromised|hack(?:ed|ers)?|leak)\b", re.IGNORECASE)
_SIMULATED = re.compile(r"\b(?:exercises?|drills?|simulat(?:ed|ion|ing)|rehears\w*|mock)\b", re.IGNORECASE)
_COOPERATIVE = re.compile(
    r"\b(?:agreements?|memorandum|MoU|cooperation|talks|dialogue|visit(?:s|ed)?|signed|signs?|accords?|"
    r"partnership|deal|protocol)\b",
    re.IGNORECASE,
)

_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|to|into|on|off|across|over|around|toward|towards|along|within)\s+"
    r"(?:the\s+)?(?:(?:[a-z-]+\s+){0,2}(?:city|town|port|village|region|province|area|district)\s+of\s+)?(?:the\s+)?$"
)
_KIND_SPECIFICITY = {"capital": 2, "city": 3, "admin_region": 1, "region": 0}
_SITE_SPECIFICITY = 4  # training areas, bases, crossings, terminals, plants, ...


@dataclass
class _Candidate:
    index: int  # position of the article in processing order
    article_id: str
    published: datetime
    sources: tuple[str, ...]
    headline: str
    summary: str
    category: str
    event_date: date
    date_basis: str
    place: Place
    location_basis: str
    specificity: int
    partners: frozenset[str]
    tokens: frozenset[str]
    key_terms: frozenset[str]
    casualties: int
    violence: bool
    cooperative: bool
    members: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Public API.


def extract_events(articles: pl.DataFrame, iso2: str, week: date, places: Places, gazetteer: Gazetteer) -> pl.DataFrame:
    """The events of one country and week from the articles relevant to it (EVENTS schema)."""
    if articles.is_empty():
        return empty("events")
    rows = articles.sort("published_at", "article_id").to_dicts()
    capital = places.capital(iso2)
    candidates = []
    for row in rows:
        candidate = _candidate(row, len(candidates), iso2, week, places, gazetteer, capital)
        if candidate is not None:
            candidates.append(candidate)
    if not candidates:
        return empty("events")
    groups = _merge(candidates)
    events = [_event(group, iso2, week) for group in groups]
    frame = pl.DataFrame(events, schema=empty("events").schema)
    return conform(frame, "events").sort(["intensity", "event_date", "event_id"], descending=[True, False, False])


def classify(title: str, lead: str) -> str | None:
    """The category slug of a title and lead by the keyword rule of the module docstring, or None."""
    if _NOT_EVENT_FORMAT.search(title):
        return None
    scores, anchored, diplomatic_form = _scores(title, lead)
    noise = scores.pop("noise")
    eligible = [slug for slug in CATEGORIES if slug in anchored]
    if not eligible:
        return None
    best = max(eligible, key=lambda slug: (scores[slug], -_ORDER[slug]))
    if best == "diplomacy":
        # Subject over form: the agreement's subject wins when it outweighs the diplomacy proper.
        core = scores["diplomacy"] - diplomatic_form
        subjects = [slug for slug in eligible if slug != "diplomacy" and scores[slug] >= max(core, MIN_CATEGORY_SCORE)]
        if subjects:
            best = max(subjects, key=lambda slug: (scores[slug], -_ORDER[slug]))
    if scores[best] < MIN_CATEGORY_SCORE or scores[best] <= noise:
        return None
    return best


def category_scores(title: str, lead: str) -> dict[str, int]:
    """Score of every category and of "noise": distinct phrases, title x2. A phrase inside a longer
    phrase of another table counts only there ("defence cooperation" is defence policy, not also
    diplomacy's "cooperation")."""
    return _scores(title, lead)[0]


def _scores(title: str, lead: str) -> tuple[dict[str, int], set[str], int]:
    totals = dict.fromkeys([*CATEGORIES, "noise"], 0)
    anchored: set[str] = set()  # categories with a defining (weight 3) phrase
    diplomatic_form = 0
    for text, factor in ((title, TITLE_WEIGHT), (lead, 1)):
        for table, phrases in _phrases(text).items():
            score = factor * sum(phrases.values())
            if table == "diplomatic_form":
                table, diplomatic_form = "diplomacy", diplomatic_form + score
            totals[table] += score
            if 3 in phrases.values():
                anchored.add(table)
    return totals, anchored, diplomatic_form


def clean_headline(title: str | None, source: str | None = None) -> str:
    """The title without wire prefixes ("UPDATE 2-"), an outlet suffix or stray whitespace."""
    text = " ".join((title or "").split())
    text = _WIRE_PREFIX.sub("", text)
    text = _OUTLET_SUFFIX.sub("", text)
    if source and text.endswith(f" - {source}"):
        text = text[: -len(source) - 3]
    return text.strip(" -–—|")


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain text (one paragraph per line), keeping abbreviations ("U.S.", "Lt.") whole."""
    sentences: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        pieces = _SENTENCE_BREAK.split(paragraph)
        current = ""
        for piece in pieces:
            if current and not _ends_with_abbreviation(current):
                sentences.append(current)
                current = piece
            else:
                current = f"{current} {piece}".strip()
        if current:
            sentences.append(current)
    return sentences


def event_date(texts: Iterable[str], published: datetime, week: date) -> tuple[date, str]:
    """The date of the happening from its text (first usable expression), else the publication date."""
    reporting: date | None = None
    for text in texts:
        for found, is_reporting in _dates_in(text, published, week):
            if not is_reporting:
                return found, "text"
            if reporting is None:
                reporting = found
    if reporting is not None:
        return reporting, "text"
    return published.date(), "published"


def event_id(iso2: str, week: date, article_ids: Iterable[str]) -> str:
    key = f"{iso2}|{week.isoformat()}|{','.join(sorted(article_ids))}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------------------------------
# One article.


def _candidate(row: dict, index: int, iso2: str, week: date, places: Places, gazetteer: Gazetteer,
               capital: Place) -> _Candidate | None:
    language = (row.get("language") or "").lower()
    if language not in ENGLISH:
        return None
    raw_title = " ".join((row.get("title") or "").split())
    headline = clean_headline(raw_title, row.get("source"))
    if not headline or _NOT_EVENT_FORMAT.search(raw_title):
        return None  # explainers, opinion, reviews: not a happening
    sentences, dateline = _lead(row.get("summary") or "", row.get("body") or "", headline)
    lead = sentences[:LEAD_SENTENCES]
    lead_text = " ".join(lead)
    category = classify(headline, lead_text)
    if category is None:
        return None

    published: datetime | None = row.get("published_at")
    if published is None:
        return None
    date_texts = [headline, *lead]
    if dateline:
        date_texts.append(dateline)
    happened, date_basis = event_date(date_texts, published, week)

    partners = frozenset(gazetteer.countries(f"{headline}\n{' '.join(lead[:PARTNER_SENTENCES])}")) - {iso2}
    article_countries = set(row.get("countries") or ()) | set(partners) | {iso2}
    place, specificity = _location(headline, lead, dateline, iso2, partners, article_countries, places)
    location_basis = "text"
    if place is None:
        place, specificity, location_basis = capital, -1, "capital"

    severity_text = f"{headline}\n{lead_text}"
    casualties = _casualties(severity_text)
    violence = _affirmed(_VIOLENCE, severity_text) and not (
        category == "military_activity" or _SIMULATED.search(severity_text) and category not in ("armed_conflict",)
    )
    if category == "cybersecurity":
        violence = bool(_CYBER_HOSTILE.search(severity_text))
    cooperative = bool(_COOPERATIVE.search(severity_text))

    tokens = _content_tokens(f"{headline} {' '.join(lead[:2])}")
    key_terms = _key_terms(f"{headline}. {' '.join(lead[:2])}")
    summary = _summary(sentences)
    return _Candidate(
        index=index,
        article_id=row["article_id"],
        published=published,
        sources=_sources(row),
        headline=headline,
        summary=summary,
        category=category,
        event_date=happened,
        date_basis=date_basis,
        place=place,
        location_basis=location_basis,
        specificity=specificity,
        partners=partners,
        tokens=tokens,
        key_terms=key_terms,
        casualties=casualties,
        violence=violence,
        cooperative=cooperative,
        members=[index],
    )


def _lead(summary: str, body: str, headline: str) -> tuple[list[str], str | None]:
    """Lead sentences (summary first, then body; captions, datelines and repeats dropped) and the
    dateline text, if any."""
    summary = summary.strip()
    truncated = summary.endswith(("...", "…"))
    summary_sentences = split_sentences(summary)
    if truncated and summary_sentences:
        summary_sentences = summary_sentences[:-1]
    sentences: list[str] = []
    seen: list[frozenset[str]] = [_content_tokens(headline)]
    dateline = None
    body_lines = [line for line in body.splitlines()[:20] if not _CAPTION.search(line)]
    body_sentences = split_sentences("\n".join(body_lines))[:12]
    block_starts = {0, len(summary_sentences)}  # datelines open the summary or the body
    for position, sentence in enumerate([*summary_sentences, *body_sentences]):
        match = _DATELINE.match(sentence) if position in block_starts else None
        if match:
            dateline = dateline or match.group(0).strip(" -–—:")
            sentence = sentence[match.end():]
        sentence = sentence.strip()
        if len(sentence) < 25 or _CAPTION.search(sentence):
            continue
        tokens = _content_tokens(sentence)
        if any(_overlap(tokens, other) >= 0.6 for other in seen[1:]) or (tokens and tokens <= seen[0]):
            continue
        seen.append(tokens)
        sentences.append(sentence)
        if len(sentences) >= 8:
            break
    return sentences, dateline


def _summary(sentences: list[str]) -> str:
    """The lead sentence and up to two more of the first five that add facts (no quotes)."""
    if not sentences:
        return ""
    chosen = [sentences[0]]
    known = set(_content_tokens(sentences[0]))
    length = len(sentences[0])
    for sentence in sentences[1:5]:
        if len(chosen) >= SUMMARY_SENTENCES or length + len(sentence) > SUMMARY_MAX_CHARS:
            break
        if _QUOTE_START.match(sentence) or "“" in sentence[:3]:
            continue
        tokens = _content_tokens(sentence)
        if len(tokens - known) < 4:
            continue
        chosen.append(sentence)
        known |= tokens
        length += len(sentence) + 1
    return " ".join(chosen)


def _location(headline: str, lead: list[str], dateline: str | None, iso2: str, partners: frozenset[str],
              article_countries: set[str], places: Places) -> tuple[Place | None, int]:
    sections = [(0, headline), (0, lead[0] if lead else ""), *[(1, s) for s in lead[1:LEAD_SENTENCES]]]
    if dateline:
        sections.append((2, dateline))
    involved = {iso2} | partners
    best_key, best = None, None
    position = 0
    for rank, text in sections:
        for mention in places.find(text):
            place = mention.place
            major = place.kind not in ("city",) or place.population >= 1_000_000
            if not major and place.iso2 not in article_countries:
                continue
            specificity = _specificity(place)
            locative = bool(_LOCATIVE.search(text[max(0, mention.start - 30):mention.start]))
            if rank > 0 and not (locative and (place.iso2 == iso2 or specificity == _SITE_SPECIFICITY)):
                continue  # later sentences name places in passing: only "in/at/near X" in the country there
            key = (rank, place.iso2 not in involved, not locative, -specificity, position + mention.start)
            if best_key is None or key < best_key:
                best_key, best = key, (place, specificity)
        position += len(text) + 1
    return best if best is not None else (None, -1)


def _specificity(place: Place) -> int:
    return _KIND_SPECIFICITY.get(place.kind, _SITE_SPECIFICITY)


def _sources(row: dict) -> tuple[str, ...]:
    outlets = [s for s in (row.get("sources") or ()) if s]
    if not outlets and row.get("source"):
        outlets = [row["source"]]
    return tuple(sorted(set(outlets))) or ("unknown",)


def _affirmed(pattern: re.Pattern, text: str) -> bool:
    """Whether `pattern` occurs other than negated ("No one was injured", "no deaths")."""
    return any(not _NEGATION.search(text[max(0, m.start() - 30):m.start()]) for m in pattern.finditer(text))


def _casualties(text: str) -> int:
    if not _affirmed(_DEATHS, text):
        return 0
    for match in _MANY_DEATHS.finditer(text):
        raw = (match.group("n") or match.group("m") or "").lower().replace(",", "")
        number = _NUMBER_WORDS.get(raw) or (int(raw) if raw.isdigit() else 0)
        if number >= 10:
            return 2
    return 1


# --------------------------------------------------------------------------------------------------
# Scoring.


def _compile(table: dict[int, list[str]]) -> re.Pattern:
    groups = [rf"(?P<w{weight}>{'|'.join(fragments)})" for weight, fragments in sorted(table.items(), reverse=True)]
    return re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w-])", re.IGNORECASE)


_PATTERNS = {**{slug: _compile(table) for slug, table in _RULES.items()}, "noise": _compile(_NOISE)}
_ORDER = {slug: position for position, slug in enumerate(CATEGORIES)}


def _phrases(text: str) -> dict[str, dict[str, int]]:
    """Per table, the distinct phrases found in `text` and their weights (longest phrase wins)."""
    found = []
    for table, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), table, int(match.lastgroup[1:]), match.group(0).lower()))
    found.sort(key=lambda f: (f[0] - f[1], f[0]))  # longest first
    kept: list[tuple[int, int, str]] = []
    weights: dict[str, dict[str, int]] = {}
    for start, end, table, weight, phrase in found:
        if any(s <= start and end <= e and (e - s) > (end - start) and t != table and t != "diplomatic_form"
               for s, e, t in kept):
            continue  # inside a longer phrase of another table (a diplomatic form never hides a subject)
        kept.append((start, end, table))
        phrases = weights.setdefault(table, {})
        phrases[phrase] = max(phrases.get(phrase, 0), weight)
    return weights


# --------------------------------------------------------------------------------------------------
# Dates.


def _dates_in(text: str, published: datetime, week: date) -> Iterable[tuple[date, bool]]:
    for match in _DATE_EXPRESSION.finditer(text):
        before = text[max(0, match.start() - 80):match.start()]
        clause = re.split(r"[.;:!?]", before)[-1]
        if _SKIP_BEFORE.search(before) or _FUTURE.search(clause):
            continue
        wmod = (match.group("wmod") or "").lower()
        if wmod in ("next", "since", "until", "by", "this"):
            continue
        resolved = _resolve_date(match, published, week)
        if resolved is None:
            continue
        if resolved > published.date() + timedelta(days=1) or resolved < published.date() - timedelta(days=90):
            continue
        yield resolved, bool(_REPORTING.search(before))


def _resolve_date(match: re.Match, published: datetime, week: date) -> date | None:
    day0 = published.date()
    if match.group("range"):
        start = _month_day(match.group("r1"), day0)
        end_text = match.group("r2")
        end = _month_day(end_text, day0) if _has_month(end_text) else _with_day(start, end_text)
        return _range_start(start, end, week)
    if match.group("short"):
        start = _month_day(f"{match.group('sm')} {match.group('sd1')}", day0)
        end = _with_day(start, match.group("sd2"))
        return _range_start(start, end, week)
    if match.group("short2"):
        start = _month_day(f"{match.group('td1')} {match.group('tm')}", day0)
        end = _with_day(start, match.group("td2"))
        return _range_start(start, end, week)
    if match.group("single"):
        return _month_day(match.group("single"), day0)
    if match.group("weekday"):
        target = _WEEKDAYS[match.group("wd").lower()]
        modifier = (match.group("wmod") or "").lower()
        if modifier == "last":
            delta = (day0.weekday() - target) % 7 or 7
            return day0 - timedelta(days=delta)
        if published.hour >= 14 and (day0 + timedelta(days=1)).weekday() == target:
            return day0 + timedelta(days=1)
        return day0 - timedelta(days=(day0.weekday() - target) % 7)
    if match.group("relative"):
        return day0 - timedelta(days=1) if match.group("relative").lower() == "yesterday" else day0
    return None


def _range_start(start: date | None, end: date | None, week: date) -> date | None:
    """A range gives its start; when it began before the week and is still running in it, the
    week's first day."""
    if start is None:
        return None
    if end is not None and end < start:
        end = None
    if start < week and end is not None and end >= week:
        return week
    return start


def _has_month(text: str) -> bool:
    return bool(re.search(_MONTH_RE, text, re.IGNORECASE))


def _month_day(text: str, near: date) -> date | None:
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = day = year = None
    for word in words:
        lower = word.lower()
        if lower in _MONTHS and month is None:
            month = _MONTHS[lower]
        elif word.isdigit():
            number = int(word)
            if number >= 2000:
                year = number
            elif day is None:
                day = number
    if month is None or day is None:
        return None
    years = [year] if year else [near.year - 1, near.year, near.year + 1]
    options = []
    for candidate_year in years:
        try:
            options.append(date(candidate_year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    return min(options, key=lambda d: abs((d - near).days))


def _with_day(start: date | None, day_text: str) -> date | None:
    if start is None:
        return None
    digits = re.match(r"\d+", day_text.strip())
    if not digits:
        return None
    try:
        return start.replace(day=int(digits.group()))
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------------
# Merging candidates into events.


def _merge(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_category: dict[str, list[int]] = {}
    for i, candidate in enumerate(candidates):
        by_category.setdefault(candidate.category, []).append(i)
    for members in by_category.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                if _same_happening(candidates[a], candidates[b]):
                    ra, rb = root(a), root(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[_Candidate]] = {}
    for i, candidate in enumerate(candidates):
        groups.setdefault(root(i), []).append(candidate)
    return [groups[key] for key in sorted(groups)]


def _same_happening(a: _Candidate, b: _Candidate) -> bool:
    if abs((a.event_date - b.event_date).days) > MERGE_DAYS:
        return False
    overlap = _jaccard(a.tokens, b.tokens)
    if overlap < 0.2:
        return False
    both_text = a.location_basis == "text" and b.location_basis == "text"
    if both_text and a.place != b.place:
        return overlap >= 0.5
    if overlap >= 0.35:
        return True
    same_place = both_text and a.place == b.place
    return same_place or _jaccard(a.key_terms, b.key_terms) >= 0.5


def _event(group: list[_Candidate], iso2: str, week: date) -> dict:
    lead = min(group, key=lambda c: (c.published, c.article_id))
    text_dates = [c.event_date for c in group if c.date_basis == "text"]
    if text_dates:
        happened, date_basis = min(text_dates), "text"
    else:
        happened, date_basis = min(c.event_date for c in group), "published"
    located = min(group, key=lambda c: (c.location_basis != "text", -c.specificity, c.published, c.article_id))
    article_ids = sorted({c.article_id for c in group})
    sources = sorted({s for c in group for s in c.sources})
    partners = sorted(set().union(*(c.partners for c in group)) - {iso2})
    return {
        "event_id": event_id(iso2, week, article_ids),
        "week": week,
        "country": iso2,
        "category": lead.category,
        "headline": lead.headline,
        "summary": lead.summary or lead.headline,
        "event_date": happened,
        "location": located.place.name,
        "lat": located.place.lat,
        "lng": located.place.lng,
        "partners": partners,
        "intensity": intensity(lead.category, group, len(sources)),
        "article_ids": article_ids,
        "source_count": len(sources),
        "sources": sources,
        "date_basis": date_basis,
        "location_basis": located.location_basis,
    }


def intensity(category: str, group: Iterable[_Candidate], source_count: int) -> int:
    """The intensity rule of the module docstring."""
    group = list(group)
    casualties = max(c.casualties for c in group)
    violence = any(c.violence for c in group)
    base = BASE_INTENSITY[category]
    cooperative = base >= 2 and any(c.cooperative for c in group) and not casualties and not violence
    value = base + casualties + int(violence) - int(cooperative)
    value += int(source_count >= CORROBORATION_SOURCES)
    return max(1, min(5, value))


# --------------------------------------------------------------------------------------------------
# Tokens.


def _content_tokens(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOPWORDS)


def _key_terms(text: str) -> frozenset[str]:
    """Capitalised words not opening a sentence, and numbers: names, places, figures."""
    terms = set()
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = _WORD.findall(sentence)
        for position, word in enumerate(words):
            if word[0].isdigit() or (position and word[0].isupper() and word.lower() not in _STOPWORDS):
                terms.add(word.lower().strip("'’"))
    return frozenset(terms)


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    word = word.strip("'’-")
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other: a sentence retold with extra detail still repeats."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _ends_with_abbreviation(text: str) -> bool:
    last = text.rsplit(None, 1)[-1].rstrip(".").lower().lstrip("(\"“")
    if last in _ABBREVIATIONS:
        return True
    return len(last) == 1 and last.isalpha()  # an initial: "John F. Kennedy"
