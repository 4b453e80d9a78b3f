"""Which newsroom wrote an item: the feed's credit, the article's own credit, else the feed's newsroom."""

import pytest

from watchfloor.core.config import FeedSpec
from watchfloor.ingest.publishers import item_publisher, newsroom, text_credit

CNA = FeedSpec(url="https://cna.example/rss", name="CNA World", publisher="CNA")
POOL = FeedSpec(url="https://news.example/rss", name="Google News pool", aggregator=True)


def test_a_credit_is_normalised_through_the_newsroom_list():
    assert newsroom("Thomson Reuters") == newsroom("ロイター") == newsroom("REUTERS") == "Reuters"
    assert newsroom("The Associated Press") == "Associated Press"
    assert newsroom("Mongolian Economy Daily") == "Mongolian Economy Daily"  # unknown: kept as written
    assert newsroom("") is None and newsroom("x" * 80) is None  # no credit, or a sentence


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("Russia strikes Kyiv overnight - Reuters", "", "Reuters"),
    ("Russia strikes Kyiv", "<p>KYIV, Aug 20 (Reuters) - Russia launched drones at the capital</p>", "Reuters"),
    ("北朝鮮がミサイル発射", "[東京 21日 ロイター] - 北朝鮮は21日", "Reuters"),
    ("Quake hits coast", "Rescue teams were sent on Monday.\nSource: AFP", "AFP"),
    ("Quake hits coast", "Rescue teams were sent on Monday, Reuters reported later in the story.", None),
])
def test_the_articles_own_credit(title, text, expected):
    assert text_credit(title, text) == expected


def test_the_feeds_credit_first_then_the_author_then_the_text_then_the_feed():
    assert item_publisher(CNA, "Reuters", "CNA", "Title", "") == "Reuters"
    assert item_publisher(CNA, None, "ロイター", "Title", "") == "Reuters"
    assert item_publisher(CNA, None, "Jane Doe", "Title - AFP", "") == "AFP"
    assert item_publisher(CNA, None, "Jane Doe", "Title", "Our own report.") == "CNA"
    assert item_publisher(FeedSpec(url="u", name="Steppe Wire"), None, None, "Title", "") == "Steppe Wire"


def test_an_aggregators_uncredited_item_keeps_the_feeds_name():
    assert item_publisher(POOL, None, None, "Title", "text") == "Google News pool"
    assert item_publisher(POOL, None, None, "Title - Bloomberg", "text") == "Bloomberg"
