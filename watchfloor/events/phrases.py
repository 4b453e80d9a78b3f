"""The phrase tables of event extraction: what each category's articles say, what noise says, and
the words that weigh on intensity and location. Data only: watchfloor.events.category applies the
category tables (its docstring has the rule), watchfloor.events.intensity the intensity words.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------------
# Category tables: weight -> regular-expression fragments (case-insensitive, whole words).

_DEF = r"defen[cs]e"
RULES: dict[str, dict[int, list[str]]] = {
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

NOISE: dict[int, list[str]] = {
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

# Explainers, fact boxes, opinion, reviews, podcasts, quizzes, galleries: never a happening.
NOT_EVENT_FORMAT = re.compile(
    r"^(?:explainer|factbox|fact box|opinion|column|breakingviews|book review|review|podcast|quiz|crossword|"
    r"in pictures|photos?|watch|live|video)\b\s*[-:–—]|"
    r"\b(?:things to watch|what (?:you need )?to know|explained:|book review)\b",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------------------------------
# Intensity words (watchfloor.events.intensity).

DEATHS = re.compile(r"\b(?:killed|dead|died|deaths?|death toll|fatalities|lost their lives)\b", re.IGNORECASE)
MANY_DEATHS = re.compile(
    r"\b(?:(?:at least|more than|over|about|nearly|some)\s+)?(?P<n>\d[\d,]*|"
    r"ten|eleven|twelve|dozens|hundreds|thousands)"
    r"\s+(?:\w+\s+){0,3}(?:killed|dead|died|deaths|people were killed)\b"
    r"|\bdeath toll\b[^.]{0,30}?\b(?P<m>\d[\d,]*)\b",
    re.IGNORECASE,
)
NUMBER_WORDS = {"ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "hundreds": 200, "thousands": 2000}
VIOLENCE = re.compile(
    r"\b(?:attack(?:s|ed)?|air ?strikes?|(?:drone|missile|"
    r"rocket) strikes?|struck|explosions?|blasts?|bomb(?:s|ing|ings|ed)?|"
    r"shelling|shot down|wounded|injured|stabbed|clash(?:es|ed)?|gunfire|ambush(?:ed)?)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(?:no|not|nobody|no one|none|without|never)\b(?:\s+[\w’']+){0,3}\s*$", re.IGNORECASE)
CYBER_HOSTILE = re.compile(r"\b(?:attack(?:s|ed)?|breach|compromised|hack(?:ed|ers)?|leak)\b", re.IGNORECASE)
SIMULATED = re.compile(r"\b(?:exercises?|drills?|simulat(?:ed|ion|ing)|rehears\w*|mock)\b", re.IGNORECASE)
COOPERATIVE = re.compile(
    r"\b(?:agreements?|memorandum|MoU|cooperation|talks|dialogue|visit(?:s|ed)?|signed|signs?|accords?|"
    r"partnership|deal|protocol)\b",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------------------------------
# Location: a place after "in", "at", "near", "off" ... is where it happened ("signed in Ankara").

LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|to|into|on|off|across|over|around|toward|towards|along|within)\s+"
    r"(?:the\s+)?(?:(?:[a-z-]+\s+){0,2}(?:city|town|port|village|region|province|area|district)\s+of\s+)?(?:the\s+)?$"
)
