"""Settings from the environment and the feeds file, validated with messages that say what to fix."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import yaml

from watchfloor.core.storage import data_root

if TYPE_CHECKING:
    from upath import UPath

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FEEDS = REPO_ROOT / "samples" / "feeds.yaml"
DEFAULT_COUNTRIES = ("MN", "KZ", "PL")
RELIABILITY_GRADES = frozenset("ABCDEF")


class ConfigError(ValueError):
    """Bad configuration: the message names the setting and how to fix it."""


@dataclass(frozen=True)
class FeedSpec:
    url: str  # http(s) URL, file:// URL, or absolute path (relative paths are resolved on load)
    name: str
    language: str | None = None
    reliability: str | None = None
    publisher: str | None = None  # the newsroom writing the feed's own stories (default: its name)
    aggregator: bool = False  # carries others' stories only: an uncredited item's newsroom is unknown
    country: str | None = None  # ISO2 of the feed's home country: its local stories need not name it


def data_dir() -> Path | UPath:
    """WATCHFLOOR_DATA: a resolved local folder, or an s3:// prefix as a UPath (StorageError for a bad URL)."""
    return data_root(os.environ.get("WATCHFLOOR_DATA") or "data")


def feeds_file() -> Path:
    configured = os.environ.get("WATCHFLOOR_FEEDS")
    return Path(configured).resolve() if configured else SAMPLE_FEEDS


def monitored_countries() -> tuple[str, ...]:
    """WATCHFLOOR_COUNTRIES as upper-case ISO2 codes, order kept, duplicates dropped."""
    raw = os.environ.get("WATCHFLOOR_COUNTRIES", "")
    codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
    return tuple(dict.fromkeys(codes)) or DEFAULT_COUNTRIES


def env_number(name: str, kind: type[int | float], default: float | None, minimum: float = 0) -> float | None:
    """The environment variable `name` as an int or float of at least `minimum`; `default` when unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not {'an integer' if kind is int else 'a number'}") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum:g}")
    return value


def load_feeds(path: Path | None = None) -> list[FeedSpec]:
    path = path or feeds_file()
    hint = f"WATCHFLOOR_FEEDS={path}"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"feeds file not found: {path} (set WATCHFLOOR_FEEDS to a YAML file with a 'feeds:' list)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read feeds file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where else ""
        raise ConfigError(f"feeds file {path} is not valid YAML{line}: fix the syntax ({hint})") from None
    if not isinstance(document, dict) or not isinstance(document.get("feeds"), list) or not document["feeds"]:
        raise ConfigError(f"feeds file {path} must contain a non-empty 'feeds:' list of entries with a 'url'")
    return [_feed_spec(entry, index, path) for index, entry in enumerate(document["feeds"], start=1)]


def _feed_spec(entry: object, index: int, path: Path) -> FeedSpec:
    where = f"feeds file {path}, entry {index}"
    if isinstance(entry, str):
        entry = {"url": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str) or not entry["url"].strip():
        raise ConfigError(f"{where}: each entry needs a 'url' (http(s) URL, file:// URL or path)")
    url = _resolve_url(entry["url"].strip(), path.parent, where)
    reliability = entry.get("reliability")
    if reliability is not None and str(reliability).upper() not in RELIABILITY_GRADES:
        raise ConfigError(f"{where}: reliability must be an Admiralty grade A-F, got {reliability!r}")
    language = entry.get("language")
    aggregator = entry.get("aggregator", False)
    if not isinstance(aggregator, bool):
        raise ConfigError(f"{where}: aggregator must be true or false, got {aggregator!r}")
    country = entry.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country.strip())):
        raise ConfigError(f"{where}: country must be an ISO 3166-1 alpha-2 code such as MN, got {country!r}")
    return FeedSpec(
        url=url,
        name=str(entry.get("name") or urlparse(url).netloc or Path(url).stem),
        language=str(language).lower() if language else None,
        reliability=str(reliability).upper() if reliability else None,
        publisher=str(entry["publisher"]).strip() if entry.get("publisher") else None,
        aggregator=aggregator,
        country=country.strip().upper() if country else None,
    )


def _resolve_url(url: str, base: Path, where: str) -> str:
    scheme = urlparse(url).scheme.lower()
    if scheme in ("http", "https"):
        if not urlparse(url).netloc:
            raise ConfigError(f"{where}: URL {url!r} has no host")
        return url
    if scheme == "file":
        return url
    if scheme and len(scheme) > 1:  # one letter would be a Windows drive
        raise ConfigError(f"{where}: unsupported URL scheme {scheme!r} in {url!r} (use http, https, file or a path)")
    return str((base / url).resolve())
