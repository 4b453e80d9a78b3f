"""Events: category, date, place, partners, intensity and merging, on hand-written articles and the samples."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from watchfloor.articles.build import build_articles
from watchfloor.core.config import REPO_ROOT, load_feeds
from watchfloor.core.tables import EVENTS, empty
from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.core.weeks import week_containing
from watchfloor.events.candidate import Candidate
from watchfloor.events.category import classify
from watchfloor.events.dates import event_date
from watchfloor.events.extraction import extract_events
from watchfloor.events.merge import event_id, event_row
from watchfloor.ingest.parse import parse_feed
from watchfloor.places.gazetteer import Gazetteer
from watchfloor.places.index import Places
from watchfloor.text.anatomy import split_sentences

WEEK = date(2026, 6, 24)  # a Wednesday: the week runs to 2026-07-01
THURSDAY = datetime(2026, 6, 25, 10, 0)


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def article(title: str, summary: str, body: str = "", *, published: datetime = THURSDAY, source: str = "Steppe Wire",
            sources: list[str] | None = None, language: str = "en", article_id: str | None = None) -> dict:
    key = article_id or hashlib.sha256(f"{source}|{title}".encode()).hexdigest()[:16]
    return {
        "article_id": key, "week": week_containing(published.date()), "url": f"https://example.org/{key}",
        "title": title, "summary": summary, "body": body or summary, "published_at": published, "source": source,
        "feed_url": f"https://{source.lower().replace(' ', '')}.example/feed", "language": language,
        "countries": [], "duplicate_count": 1, "sources": sources or [source], "feed_urls": [], "date_flag": None,
        "first_seen_at": published,
    }  # fmt: skip


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=empty("articles").schema)


def events(places, gazetteer, *rows: dict, iso2: str = "MN", week: date = WEEK) -> pl.DataFrame:
    return extract_events(frame(*rows), iso2, week, places, gazetteer)


def one(places, gazetteer, *rows: dict, iso2: str = "MN", week: date = WEEK) -> dict:
    result = events(places, gazetteer, *rows, iso2=iso2, week=week)
    assert result.height == 1, result
    return result.row(0, named=True)


TURKEY = article(
    "Mongolia and Turkey sign three defence documents in Ankara",
    "Defence Minister Batlut Damba and Turkish National Defence Minister Yasar Guler signed three "
    "intergovernmental documents in Ankara on Wednesday covering military training and financial cooperation "
    "in the military sector.",
    published=datetime(2026, 6, 24, 10, 10),
)
TURKEY_RETOLD = article(
    "Mongolia and Türkiye ink three defence accords in Ankara",
    "Mongolia's defence minister and his Turkish counterpart signed three intergovernmental defence documents "
    "in Ankara on Wednesday, on military training, financial cooperation in the military sector and Turkish "
    "financial assistance.",
    published=datetime(2026, 6, 24, 16, 0), source="Rampart Defence Review",
)
KOREA = article(
    "Cabinet backs draft defence cooperation agreement with South Korea",
    "Mongolia's Cabinet on Wednesday supported a draft agreement with the Republic of Korea on defence "
    "cooperation, which would provide for military visits, training and joint exercises.",
    published=datetime(2026, 6, 24, 5, 40),
)


# -- the taxonomy --------------------------------------------------------------------------------


def test_categories_are_the_nine_of_the_design_in_order():
    assert CATEGORIES == {
        "military_activity": "Military Activities and Exercises",
        "defense_policy": "Defense Policy and Strategic Shifts",
        "diplomacy": "Diplomatic Relations",
        "cybersecurity": "Cybersecurity",
        "internal_security": "Internal Security and Public Order",
        "armed_conflict": "Armed Conflict and Terrorism",
        "border_security": "Border and Territorial Security",
        "economic_security": "Economic and Energy Security",
        "humanitarian": "Disasters and Humanitarian Crises",
    }


@pytest.mark.parametrize(
    ("slug", "title", "lead"),
    [
        ("military_activity", "Mongolian and US troops begin joint military exercise",
         "About 800 soldiers began a two-week joint military exercise on Monday, rehearsing convoy escort and patrols."),
        ("defense_policy", "Parliament approves record defence budget for 2027",
         "Lawmakers approved a defence budget of MNT 600 billion on Tuesday, with new money for procurement of air-defence systems."),
        ("diplomacy", "Foreign minister holds talks with Japanese counterpart in Tokyo",
         "The foreign ministers discussed bilateral relations and signed a memorandum of understanding on Monday."),
        ("cybersecurity", "Hackers knock ministry websites offline in DDoS attack",
         "A pro-Russian hacktivist group claimed a distributed denial-of-service attack on government websites on Monday."),
        ("internal_security", "Police arrest 12 after protests turn violent",
         "Police detained 12 people on Sunday after protesters clashed with officers outside parliament."),
        ("armed_conflict", "Militants kill 14 soldiers in attack on army post",
         "Militants stormed an army post overnight, killing 14 soldiers in the deadliest attack this year, officials said."),
        ("border_security", "Border guards seize smuggled fuel at Zamyn-Uud crossing",
         "Border guards at the Zamyn-Uud crossing stopped two trucks carrying 40 tonnes of contraband diesel on Friday."),
        ("economic_security", "Government bans fuel exports as shortages hit filling stations",
         "The government suspended fuel exports for three months on Monday after fuel shortages closed filling stations."),
        ("humanitarian", "Floods force 2,000 families to evacuate in Khovd",
         "Flash floods after torrential rain forced 2,000 families to evacuate on Sunday, the emergency management agency said."),
    ],
)  # fmt: skip
def test_each_category_has_a_rule(slug, title, lead):
    assert classify(title, lead) == slug


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        ("Football: Mongolia beat Nepal 2-1 in World Cup qualifier",
         "Mongolia scored twice in the second half to beat Nepal 2-1 in their World Cup qualifier on Tuesday."),
        ("Naadam festival opens with record crowds in Ulaanbaatar",
         "The Naadam festival opened on Saturday with wrestling, archery and horse racing before a record crowd."),
        ("MSE Top-20 index closes at record high on mining stocks",
         "The Mongolian Stock Exchange's MSE Top-20 index rose 1.9 per cent on Tuesday to a record 48,310 points."),
        ("Ulaanbaatar weather: thunderstorms ease, heat returns",
         "Forecasters expect temperatures to reach 32C by the weekend after a week of thunderstorms."),
        ("Actor marries longtime partner in Lake Como ceremony",
         "Hollywood actor Jonah Calloway married his partner of nine years in a private ceremony on Thursday."),
        ("Explainer: what is a watering-hole attack?",
         "Hackers compromise websites that their targets visit. Here is how such attacks work."),
    ],
)  # fmt: skip
def test_non_events_are_rejected(title, lead):
    assert classify(title, lead) is None


def test_non_english_articles_give_no_event(places, gazetteer):
    polish = article("Rolnicy zablokowali przejście graniczne w Dorohusku",
                     "Kilkuset rolników zablokowało w czwartek ruch ciężarówek na przejściu granicznym.", language="pl")
    assert events(places, gazetteer, polish, iso2="PL").is_empty()


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected", "basis"),
    [
        ("The agreement was signed on June 24 in Ankara.", THURSDAY, date(2026, 6, 24), "text"),
        ("The agreement was signed on 24 June 2026.", THURSDAY, date(2026, 6, 24), "text"),
        ("Ministers met in Bishkek on Tuesday.", THURSDAY, date(2026, 6, 23), "text"),  # Thursday's Tuesday
        ("The drone came down last Friday near Hrubieszow.", datetime(2026, 6, 29, 8), date(2026, 6, 26), "text"),
        ("The exercise runs from June 20 to July 3 at Five Hills.", datetime(2026, 6, 26, 8), date(2026, 6, 24), "text"),
        ("The blast happened yesterday.", datetime(2026, 6, 26, 8), date(2026, 6, 25), "text"),
        ("The ministers will meet on Friday.", THURSDAY, THURSDAY.date(), "published"),  # future: not the happening
        ("The exercise ends next Monday.", THURSDAY, THURSDAY.date(), "published"),
        ("The troops have trained since Monday.", THURSDAY, THURSDAY.date(), "published"),
        ("Troops trained all week, organisers said on Friday.", datetime(2026, 6, 26, 8), date(2026, 6, 26), "text"),
        ("Nothing dated here.", THURSDAY, THURSDAY.date(), "published"),
        # Published at 22:30 UTC on Wednesday: Thursday morning in Ulaanbaatar.
        ("Engineers built a field hospital on Thursday.", datetime(2026, 6, 24, 22, 30), date(2026, 6, 25), "text"),
    ],
)  # fmt: skip
def test_event_date_from_the_text(text, published, expected, basis):
    assert event_date([text], published, WEEK) == (expected, basis)


def test_a_range_that_started_in_the_week_keeps_its_start():
    assert event_date(["Khaan Quest runs from June 20 to July 3."], datetime(2026, 6, 21, 8), date(2026, 6, 17)) == (
        date(2026, 6, 20), "text")  # fmt: skip
    assert event_date(["Talks from June 26-28 in Astana."], datetime(2026, 6, 29), WEEK) == (date(2026, 6, 26), "text")


def test_an_event_reported_in_the_week_keeps_an_earlier_date(places, gazetteer):
    visit = article("Wang Yi's visit to Mongolia: what was agreed",
                    "Chinese Foreign Minister Wang Yi held talks in Ulaanbaatar on June 13, the foreign ministry said.")
    row = one(places, gazetteer, visit)
    assert row["event_date"] == date(2026, 6, 13) and row["date_basis"] == "text"
    assert row["week"] == WEEK  # the partition's week, whatever the event date


# -- places and partners -------------------------------------------------------------------------


def test_location_is_the_most_specific_place_named(places, gazetteer):
    khaan_quest = article(
        "Indian troops drill checkpoint tactics at Khaan Quest",
        "Indian Army soldiers rehearsed checkpoint procedures and patrolling with Mongolian counterparts at the "
        "Five Hills Training Area outside Ulaanbaatar this week, as the exercise entered its field phase.",
    )
    row = one(places, gazetteer, khaan_quest)
    assert (row["location"], row["lat"], row["lng"], row["location_basis"]) == (
        "Five Hills Training Area", 47.781, 106.575, "text")  # fmt: skip
    assert row["category"] == "military_activity"
    assert row["partners"] == ["IN"]

    border = article("Zamyn-Uud border guards stop truck carrying undeclared ammonium nitrate",
                     "Border guards at the Zamyn-Uud crossing stopped a truck from China on Thursday.")
    row = one(places, gazetteer, border)
    assert (row["location"], row["category"], row["partners"]) == ("Zamyn-Üüd border crossing", "border_security", ["CN"])


def test_without_a_place_the_event_is_country_level(places, gazetteer):
    breach = article("Hackers breach tax authority servers",
                     "Hackers breached the servers of Mongolia's tax authority and stole taxpayer data, the agency said on Monday.")
    row = one(places, gazetteer, breach)
    assert (row["location"], row["location_basis"], row["geo_precision"]) == ("Mongolia", "capital", "country")
    assert (row["lat"], row["lng"]) == (places.capital("MN").lat, places.capital("MN").lng)  # a representative point


def test_geo_precision_follows_the_place_named(places, gazetteer):
    launch = article("North Korea fires ballistic missile into the Sea of Japan",
                     "North Korea fired a ballistic missile into the Sea of Japan on Wednesday, Japan's defence ministry said.")
    row = one(places, gazetteer, launch, iso2="KP")
    assert (row["location"], row["geo_precision"], row["location_basis"]) == ("Sea of Japan", "sea", "text")
    drill = article("Troops drill at Five Hills", "Mongolian troops began a drill at Five Hills on Monday.")
    assert one(places, gazetteer, drill)["geo_precision"] == "site"


def test_fatalities_are_the_highest_toll_reported(places, gazetteer):
    strike = article("Russian strike on Odesa kills three", "A Russian missile strike on Odesa killed at least three people, officials said.")
    assert one(places, gazetteer, strike, iso2="UA")["fatalities"] == 3
    drill = article("Troops drill at Five Hills", "Mongolian troops began a drill at Five Hills on Monday.")
    assert one(places, gazetteer, drill)["fatalities"] is None


def test_a_body_is_a_partner_and_its_seat_is_not(places, gazetteer):
    talks = article("Mongolia and EU hold security dialogue in Brussels",
                    "Mongolia and the European Union held their first security and defence dialogue in Brussels on Tuesday.")
    assert one(places, gazetteer, talks)["partners"] == ["EU"]


def test_partners_are_the_other_countries_named_in_title_and_lead(places, gazetteer):
    row = one(places, gazetteer, TURKEY)
    assert (row["location"], row["category"], row["partners"]) == ("Ankara", "defense_policy", ["TR"])
    assert "MN" not in row["partners"]


# -- merging -------------------------------------------------------------------------------------


def test_one_happening_told_by_two_outlets_is_one_event(places, gazetteer):
    row = one(places, gazetteer, TURKEY, TURKEY_RETOLD)
    assert row["source_count"] == 2
    assert row["sources"] == ["Rampart Defence Review", "Steppe Wire"]
    assert row["article_ids"] == sorted([TURKEY["article_id"], TURKEY_RETOLD["article_id"]])
    assert row["headline"] == TURKEY["title"]  # the first report
    assert row["event_id"] == event_id("MN", WEEK, row["article_ids"])


def test_two_happenings_on_the_same_day_stay_two_events(places, gazetteer):
    result = events(places, gazetteer, TURKEY, KOREA)
    assert result.height == 2
    assert set(result["category"]) == {"defense_policy"}
    assert set(result["event_date"]) == {date(2026, 6, 24)}
    assert sorted(result["location"]) == ["Ankara", "Mongolia"]


def test_outlets_that_carried_a_syndicated_article_count_as_sources(places, gazetteer):
    syndicated = {**TURKEY, "sources": ["Meridian Wire", "Rampart Defence Review", "Steppe Wire"]}
    row = one(places, gazetteer, syndicated)
    assert row["source_count"] == 3
    assert row["intensity"] == 2  # defence policy 1, corroborated by three outlets +1


# -- intensity -----------------------------------------------------------------------------------


def test_intensity_rule(places, gazetteer):
    mou = article("Communications regulator signs network security MoU with US FCC in Washington",
                  "Mongolia's Communications Regulatory Commission and the US Federal Communications Commission "
                  "signed a memorandum of understanding in Washington on Wednesday on spectrum management and 5G.")
    row = one(places, gazetteer, mou)
    assert (row["category"], row["intensity"], row["location"]) == ("cybersecurity", 1, "Washington, D.C.")

    exercise = article("Polish and US troops practise river crossing under simulated drone attack",
                       "Polish and US engineers built a pontoon bridge on Friday during an exercise that simulated "
                       "attacks by enemy drones.")
    assert one(places, gazetteer, exercise, iso2="PL")["intensity"] == 2  # simulated attacks are not violence

    airstrike = article("Airstrike kills 12 civilians in border town",
                        "An airstrike killed at least 12 civilians and wounded 30 in the town on Tuesday, officials said.")
    row = one(places, gazetteer, airstrike, iso2="PK")
    assert (row["category"], row["intensity"]) == ("armed_conflict", 5)  # 3 + 2 deaths + 1 violence, capped

    shelling = article("Militants shell border post; two soldiers wounded",
                       "Militants shelled a border post overnight, wounding two soldiers, the army said on Tuesday.")
    row = one(places, gazetteer, shelling, iso2="PK")
    assert (row["category"], row["intensity"]) == ("armed_conflict", 4)  # 3 + 1 violence

    fire = article("Forest fire contained after three days; 2,100 hectares burned",
                   "Firefighters contained a forest fire in Khentii province on Saturday after it burned 2,100 hectares. "
                   "No one was injured.")
    row = one(places, gazetteer, fire)
    assert (row["category"], row["intensity"], row["location"]) == ("humanitarian", 2, "Khentii Province")

    corroborated = [
        article("Mongolian and US troops begin joint military exercise at Five Hills",
                "About 800 soldiers began a joint military exercise at the Five Hills Training Area on Monday.",
                source=outlet, published=datetime(2026, 6, 29, 9 + i))
        for i, outlet in enumerate(["Steppe Wire", "Meridian Wire", "Rampart Defence Review"])
    ]
    row = one(places, gazetteer, *corroborated)
    assert (row["source_count"], row["intensity"]) == (3, 3)  # 2 + corroboration


# -- the frame -----------------------------------------------------------------------------------


def test_schema_order_and_determinism(places, gazetteer):
    rows = [TURKEY, KOREA, TURKEY_RETOLD,
            article("Airstrike kills 12 civilians in border town", "An airstrike killed at least 12 civilians on Tuesday.")]
    first = events(places, gazetteer, *rows)
    assert first.schema == pl.Schema(EVENTS)
    assert first["intensity"].to_list() == sorted(first["intensity"].to_list(), reverse=True)
    again = events(places, gazetteer, *reversed(rows))
    assert first.equals(again)
    expected = hashlib.sha256(f"MN|2026-06-24|{','.join(first.row(0, named=True)['article_ids'])}".encode()).hexdigest()[:16]
    assert first.row(0, named=True)["event_id"] == expected


def test_no_articles_no_events(places, gazetteer):
    assert extract_events(empty("articles"), "MN", WEEK, places, gazetteer).equals(empty("events"))


def test_sentences_keep_abbreviations_whole():
    assert split_sentences("Lt. Col. Smith met U.S. officials in St. Petersburg. They agreed.\nNew line here.") == [
        "Lt. Col. Smith met U.S. officials in St. Petersburg.", "They agreed.", "New line here."]  # fmt: skip


# -- the bundled samples -------------------------------------------------------------------------


def sample_articles(week: date) -> pl.DataFrame:
    """The sample feeds parsed as if polled on 2026-07-03, built into the week's articles."""
    fetched = datetime(2026, 7, 3, 8, tzinfo=UTC)
    rows = []
    for feed in load_feeds(REPO_ROOT / "samples" / "feeds.yaml"):
        parsed = parse_feed(Path(feed.url).read_bytes(), fetched_at=fetched)
        for item in parsed.items:
            published = item.published_at.astimezone(UTC)
            rows.append({
                "feed_url": feed.url, "feed_name": feed.name, "guid": item.guid, "link": item.link, "title": item.title,
                "summary": item.summary, "content": item.content, "author": item.author, "source": item.source,
                "published_at": published.replace(tzinfo=None), "published_raw": item.published_raw,
                "date_flag": item.date_flag, "language": item.language or feed.language,
                "fetched_at": fetched.replace(tzinfo=None), "sha256": "sample", "week": week_containing(published.date()),
                "batch_id": "sample",
            })  # fmt: skip
    return build_articles(pl.DataFrame(rows, schema=empty("raw_items").schema), week, Gazetteer.load())


def test_samples_mongolia_week_2026_06_24(places, gazetteer):
    articles = sample_articles(WEEK)
    mongolian = articles.filter(pl.col("countries").list.contains("MN"))
    result = extract_events(mongolian, "MN", WEEK, places, gazetteer)
    by_headline = {row["headline"]: row for row in result.iter_rows(named=True)}

    def event(starting: str) -> dict:
        matches = [row for headline, row in by_headline.items() if headline.startswith(starting)]
        assert len(matches) == 1, (starting, sorted(by_headline))
        return matches[0]

    khaan_quest = event("Indian troops drill")
    assert (khaan_quest["category"], khaan_quest["location"]) == ("military_activity", "Five Hills Training Area")
    assert {"IN", "US"} <= set(khaan_quest["partners"])
    turkey = event("Mongolia and Turkey sign three defence documents")
    assert (turkey["category"], turkey["location"], turkey["event_date"]) == ("defense_policy", "Ankara", date(2026, 6, 24))
    assert turkey["partners"] == ["TR"] and turkey["source_count"] >= 2
    eu = event("Mongolia-EU Joint Committee meets in Brussels")
    assert (eu["category"], eu["location"], eu["event_date"]) == ("diplomacy", "Brussels", date(2026, 6, 29))
    fcc = event("Communications regulator signs network security MoU")
    assert (fcc["category"], fcc["location"], fcc["event_date"]) == ("cybersecurity", "Washington, D.C.", date(2026, 6, 24))
    assert fcc["intensity"] == 1

    headlines = " | ".join(by_headline)
    for noise in ("MSE Top-20", "K-pop", "Naadam", "Tugrik", "Copper"):
        assert noise not in headlines
    assert result["event_id"].n_unique() == result.height
    assert set(result["category"]) <= set(CATEGORIES)
    assert result["summary"].str.len_chars().min() > 40


def test_corroboration_counts_newsrooms_not_the_feeds_that_carried_them(places, gazetteer):
    text = ("Mongolian border guards detained 12 smugglers at the Zamyn-Üüd crossing",
            "Mongolian border guards detained 12 smugglers at the Zamyn-Üüd border crossing on Wednesday, officials said.")
    copies = [dict(article(*text, source=outlet, article_id=f"a{i}"), publishers=["Reuters"])
              for i, outlet in enumerate(("CNA", "MSN", "Devdiscourse"))]
    row = one(places, gazetteer, *copies)
    assert (row["source_count"], row["publishers"], row["sources"]) == (1, ["Reuters"], ["CNA", "Devdiscourse", "MSN"])
    own = dict(article(*text, source="Steppe Wire", article_id="a9"), publishers=["Steppe Wire"])
    assert one(places, gazetteer, *copies, own)["source_count"] == 2


def test_the_english_article_gives_the_headline_and_every_language_is_kept(places):
    def candidate(article_id: str, language: str, headline: str, hour: int) -> Candidate:
        return Candidate(
            article_id=article_id, published=datetime(2026, 6, 25, hour), sources=("Outlet",), publishers=("Outlet",),
            language=language, headline=headline, summary=headline, category="border_security",
            event_date=date(2026, 6, 25), date_basis="text", place=places.capital("MN"), location_basis="text",
            specificity=2, partners=frozenset(), tokens=frozenset(), key_terms=frozenset(), casualties=0,
            fatalities=None, violence=False, cooperative=False,
        )

    spanish = candidate("es1", "es", "Guardias fronterizos detienen a 12 contrabandistas", 9)
    english = candidate("en1", "en", "Border guards detain 12 smugglers", 12)
    row = event_row([spanish, english], "MN", WEEK)
    assert (row["headline"], row["headline_language"], row["languages"]) == ("Border guards detain 12 smugglers", "en", ["en", "es"])
    alone = event_row([spanish], "MN", WEEK)
    assert (alone["headline"], alone["headline_language"]) == ("Guardias fronterizos detienen a 12 contrabandistas", "es")


def _unit(*weights: float):
    import numpy as np

    vector = np.array(weights, dtype=np.float64)
    return vector / np.linalg.norm(vector)


def test_a_neighbourhood_is_the_nearest_other_candidates_and_none_without_a_vector(places):
    from dataclasses import replace

    from watchfloor.events import pairs

    base = Candidate(
        article_id="x", published=THURSDAY, sources=("Outlet",), publishers=("Outlet",), language="en",
        headline="h", summary="s", category="armed_conflict", event_date=date(2026, 6, 25), date_basis="text",
        place=places.capital("MN"), location_basis="text", specificity=2, partners=frozenset(), tokens=frozenset(),
        key_terms=frozenset(), casualties=0, fatalities=None, violence=False, cooperative=False,
    )
    found = [replace(base, article_id="a", vector=_unit(1, 0, 0)), replace(base, article_id="b", vector=_unit(1, 1, 0)),
             replace(base, article_id="c", vector=_unit(0, 0, 1)), replace(base, article_id="d", vector=None)]
    around = pairs.neighbourhoods(found)
    assert around[3] is None
    assert [n.nearest for n in around[:3]] == [frozenset("bc"), frozenset("ac"), frozenset("ab")]  # k = 2 of 3
    assert around[0].closeness == pytest.approx((0.7071 + 0) / 2, abs=1e-4)
    # CSLS: the cosine, less what each is close to anyway
    features = dict(zip(pairs.FEATURES, pairs.pair_features(found[0], found[1], around[0], around[1]), strict=True))
    assert features["csls"] == pytest.approx(2 * 0.7071 - around[0].closeness - around[1].closeness, abs=1e-4)
    assert features["mutual_neighbours"] == features["neighbours"] == 1
    assert features["cross_language_csls"] == 0
    assert pairs.neighbourhoods(found[:1]) == [None]  # one candidate has no neighbours to weigh against


def test_the_category_weighs_the_model_with_the_keyword_rule():
    import numpy as np

    from watchfloor.events.security_model import CLASSES, SecurityModel

    model = SecurityModel.load()
    probabilities = np.full(len(CLASSES), 0.02)
    probabilities[CLASSES.index("diplomacy")], probabilities[CLASSES.index("armed_conflict")] = 0.45, 0.37
    assert model.blended_category(probabilities, {}) == "diplomacy"  # the model alone
    # a defining phrase (ballistic missile: 3, in the title: x2) tips a near tie ...
    assert model.blended_category(probabilities, {"armed_conflict": 6}) == "armed_conflict"
    # ... but one weak word does not overrule a confident model
    confident = np.full(len(CLASSES), 0.01)
    confident[CLASSES.index("diplomacy")] = 0.9
    assert model.blended_category(confident, {"armed_conflict": 2}) == "diplomacy"
