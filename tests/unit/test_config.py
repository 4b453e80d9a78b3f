from pathlib import Path

import pytest

from watchfloor.core.config import ConfigError, load_feeds, monitored_countries


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_feeds_resolve_paths_relative_to_the_yaml_file(tmp_path: Path):
    feeds = load_feeds(write(tmp_path / "feeds.yaml", """
feeds:
  - url: local/one.xml
    name: One
    language: EN
    reliability: b
  - https://example.org/rss
  - url: file:///srv/feed.xml
"""))
    assert feeds[0].url == str(tmp_path / "local" / "one.xml")
    assert (feeds[0].name, feeds[0].language, feeds[0].reliability) == ("One", "en", "B")
    assert feeds[1].url == "https://example.org/rss" and feeds[1].name == "example.org"
    assert feeds[2].url == "file:///srv/feed.xml"


def test_a_feed_declares_its_newsroom_home_country_and_whether_it_aggregates(tmp_path: Path):
    national, pool = load_feeds(write(tmp_path / "feeds.yaml", """
feeds:
  - url: https://montsame.example/rss
    name: Montsame (English)
    publisher: Montsame
    country: mn
  - url: https://news.example/search?q=x
    aggregator: true
"""))
    assert (national.publisher, national.country, national.aggregator) == ("Montsame", "MN", False)
    assert (pool.publisher, pool.country, pool.aggregator) == (None, None, True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feeds: [", "not valid YAML at line"),
        ("other: 1", "non-empty 'feeds:' list"),
        ("feeds: []", "non-empty 'feeds:' list"),
        ("feeds:\n  - name: no url", "entry 1: each entry needs a 'url'"),
        ("feeds:\n  - url: ftp://x.org/feed", "unsupported URL scheme 'ftp'"),
        ("feeds:\n  - url: https://x.org/f\n    reliability: Z", "Admiralty grade A-F"),
        ("feeds:\n  - url: 'https:///nohost'", "has no host"),
        ("feeds:\n  - url: https://x.org/f\n    country: Mongolia", "ISO 3166-1 alpha-2"),
        ("feeds:\n  - url: https://x.org/f\n    aggregator: sometimes", "aggregator must be true or false"),
    ],
)
def test_bad_feeds_files_say_what_to_fix(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError, match=message):
        load_feeds(write(tmp_path / "feeds.yaml", text))


def test_missing_feeds_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="feeds file not found: .*WATCHFLOOR_FEEDS"):
        load_feeds(tmp_path / "absent.yaml")


def test_countries_from_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WATCHFLOOR_COUNTRIES", " mn, KZ ,mn,")
    assert monitored_countries() == ("MN", "KZ")
    monkeypatch.delenv("WATCHFLOOR_COUNTRIES")
    assert monitored_countries() == ("MN", "KZ", "PL")
