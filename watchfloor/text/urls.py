"""Canonical article URLs and the stable article id derived from them.

Canonical form (so one story polled from several feeds or with several share links is one
article):
- scheme and host lowercased; "http" and "https" are the same article, written as https;
- a leading "www." dropped (news sites serve the same page with and without it);
- default ports (80, 443) dropped; user info kept;
- the fragment dropped (it only scrolls the page);
- tracking parameters dropped (utm_*, click ids, campaign and referrer tags; case-insensitive),
  the remaining query parameters sorted by name then value, blank values kept;
- the path kept as is, but its percent-encoding normalised (RFC 3986: escapes of unreserved
  characters decoded, other escapes upper-cased, unsafe characters escaped), "/" when empty.
Anything that is not an absolute http(s) URL is returned stripped, unchanged.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS = frozenset(
    """
    fbclid gclid gclsrc dclid msclkid yclid twclid ttclid li_fat_id igshid wbraid gbraid
    mc_cid mc_eid ocid cmpid cmp intcmp icid ncid s_cid s_kwcid ef_id taid ito trk
    ref ref_src ref_url referrer src source feature share smid spm rss via xtor
    __twitter_impression guccounter guce_referrer guce_referrer_sig _ga _gl _hsenc _hsmi
    mkt_tok oly_anon_id oly_enc_id vero_id rb_clickid sr_share wt.mc_id at_medium at_campaign
    """.split()
)
TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_", "hsa_", "at_custom")

_DEFAULT_PORTS = frozenset({80, 443})
_PERCENT_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters a path may carry literally (RFC 3986 pchar and "/"); "%" keeps existing escapes.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def canonical_url(url: str) -> str:
    """The canonical form of an article URL (see the module docstring)."""
    stripped = url.strip()
    try:
        parts = urlsplit(stripped)
        port = parts.port
    except ValueError:  # e.g. "http://[::1", "http://host:99999"
        return stripped
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return stripped
    return urlunsplit(
        ("https", _netloc(parts.username, parts.password, host, port), _path(parts.path),
         _query(parts.query), "")
    )  # fmt: skip


def article_id(canonical: str) -> str:
    """Stable article id: the first 16 hex digits of the SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def _netloc(username: str | None, password: str | None, host: str, port: int | None) -> str:
    host = host.removeprefix("www.")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    if username is None:
        return host
    userinfo = username if password is None else f"{username}:{password}"
    return f"{userinfo}@{host}"


def _path(path: str) -> str:
    decoded_unreserved = _PERCENT_ESCAPE.sub(_normalise_escape, path)
    return quote(decoded_unreserved, safe=_PATH_SAFE) or "/"


def _normalise_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else match.group().upper()


def _query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = sorted((name, value) for name, value in pairs if not is_tracking_parameter(name))
    return urlencode(kept)
