from __future__ import annotations

import re

import pytest

from watchfloor.text.urls import article_id, canonical_url

REUTERS = "https://reuters.com/world/asia-pacific/mongolia-holds-border-drills-2026-06-25/"


def test_tracking_parameters_are_dropped_and_the_rest_kept_sorted() -> None:
    url = (
        "https://www.reuters.com/world/asia-pacific/mongolia-holds-border-drills-2026-06-25/"
        "?utm_source=rss&utm_medium=feed&page=2&fbclid=IwAR0&id=42&gclid=xyz&taid=1&ref=home"
    )
    assert canonical_url(url) == f"{REUTERS}?id=42&page=2"


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_campaign=spring", "UTM_Source=x", "utm_anything=1", "fbclid=a", "gclid=b", "dclid=c",
        "msclkid=d", "mc_cid=e", "mc_eid=f", "ocid=g", "cmpid=h", "taid=i", "ito=j",
        "ns_mchannel=k", "ns_source=l", "ns_campaign=m", "ref=n", "ref_src=o", "src=p",
        "feature=share", "share=1", "CMP=share_btn_tw", "smid=nytcore", "spm=a2c", "igshid=q",
    ],
)  # fmt: skip
def test_each_tracking_parameter_is_dropped(tracking: str) -> None:
    assert canonical_url(f"https://example.com/story?{tracking}&id=7") == "https://example.com/story?id=7"


def test_meaningful_parameters_survive_with_their_values() -> None:
    url = "https://example.com/search?q=Ulaanbaatar+talks&lang=en&article=123&page="
    assert canonical_url(url) == "https://example.com/search?article=123&lang=en&page=&q=Ulaanbaatar+talks"


def test_parameter_order_does_not_matter() -> None:
    assert canonical_url("https://example.com/a?b=2&a=1") == canonical_url("https://example.com/a?a=1&b=2")


def test_fragment_is_dropped() -> None:
    assert canonical_url("https://example.com/story#comments") == "https://example.com/story"
    assert canonical_url("https://example.com/story?id=1#:~:text=Mongolia") == "https://example.com/story?id=1"


def test_scheme_and_host_are_lowercased_path_case_is_kept() -> None:
    assert canonical_url("HTTPS://News.Example.COM/World/Asia") == "https://news.example.com/World/Asia"


def test_http_and_https_www_and_default_ports_are_the_same_article() -> None:
    variants = [
        "http://www.example.com/story",
        "https://example.com/story",
        "https://www.example.com:443/story",
        "http://example.com:80/story",
        "https://EXAMPLE.com/story#top",
        "  https://example.com/story?utm_source=twitter  ",
    ]
    assert {canonical_url(url) for url in variants} == {"https://example.com/story"}
    assert len({article_id(canonical_url(url)) for url in variants}) == 1


def test_non_default_port_and_subdomains_are_kept() -> None:
    assert canonical_url("http://feeds.example.com:8080/x") == "https://feeds.example.com:8080/x"
    assert canonical_url("https://www2.example.com/x") == "https://www2.example.com/x"


def test_percent_encoding_is_normalised() -> None:
    assert canonical_url("https://example.com/%7euser/caf%c3%a9/a%2fb") == "https://example.com/~user/caf%C3%A9/a%2Fb"
    assert canonical_url("https://example.com/café/news item") == "https://example.com/caf%C3%A9/news%20item"
    assert canonical_url("https://example.com/caf%C3%A9") == canonical_url("https://example.com/café")


def test_empty_path_is_the_root() -> None:
    assert canonical_url("https://Example.com") == "https://example.com/"
    assert canonical_url("https://example.com?utm_source=x") == "https://example.com/"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/Story?b=2&utm_medium=x&a=1#frag",
        "http://example.com:8080/a%7eb/c d?q=1+2",
        REUTERS,
    ],
)
def test_canonical_form_is_stable_under_repetition(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    "url",
    ["/world/asia/story", "story.html", "not a url", "mailto:desk@example.com", "ftp://example.com/file",
     "http://[::1", "http://example.com:99999/", "https://", ""],
)  # fmt: skip
def test_invalid_or_relative_urls_come_back_stripped(url: str) -> None:
    assert canonical_url(f"  {url}\n") == url


def test_article_id_is_sixteen_hex_digits_and_stable() -> None:
    article = article_id("https://example.com/a")
    assert re.fullmatch(r"[0-9a-f]{16}", article)
    assert article == "2dce0a4c50441bfc"  # sha256 prefix: must never change, ids are stored
    assert article_id("https://example.com/b") != article
