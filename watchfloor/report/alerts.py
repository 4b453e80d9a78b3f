"""Alerts: a country's threat level rising week over week, and a feed failing for a whole day.

Plain functions over polars frames (the detection), DuckDB queries over the warehouse (the inputs),
the lake's `alerts` table (the record, one row per alert ever raised) and a JSON webhook. The
Dagster sensor in orchestration/sensors.py only wires these together.

Each alert has a stable `alert_id`, so it is raised once however often the detection runs:
- threat_rise: one per country and week (the week the level rose in);
- feed_failing: one per failing streak of a feed (the streak starts at the first failed fetch after
  the feed's last healthy one), so a feed that recovers and breaks again is reported again.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

import duckdb
import httpx
import polars as pl

from watchfloor.core.lake import Lake, read_files
from watchfloor.report.model import THREAT_LEVELS
from watchfloor.ingest.fetch import HEALTHY_FETCH_STATUSES

log = logging.getLogger(__name__)

WEBHOOK_ENV = "WATCHFLOOR_ALERT_WEBHOOK"
FAILING_WINDOW = timedelta(hours=24)
MIN_FAILED_FETCHES = 2
WEBHOOK_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Alert:
    alert_id: str
    raised_at: datetime  # UTC
    kind: str  # 'threat_rise' | 'feed_failing'
    country: str | None
    feed_url: str | None
    message: str

    def row(self) -> dict:
        """The lake row: times are naive UTC, like every other table."""
        return {**asdict(self), "raised_at": self.raised_at.astimezone(UTC).replace(tzinfo=None)}

    def payload(self) -> dict:
        """The webhook's JSON body; `text` makes it readable by chat webhooks (Slack, Mattermost) as is."""
        raised = self.raised_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return {**asdict(self), "raised_at": raised, "text": f"[Watchfloor] {self.message}"}


def alert_id(kind: str, *parts: object) -> str:
    return hashlib.sha256("|".join([kind, *map(str, parts)]).encode()).hexdigest()[:20]


# -- detection ------------------------------------------------------------------------------------


def threat_rises(assessments: pl.DataFrame, now: datetime | None = None) -> list[Alert]:
    """Countries whose latest assessed week has a higher threat level than the week before it.

    Only each country's latest week is compared: a rise in an old week (a backfill) is history, not
    news. Weeks with no assessment the week before, and unknown levels or
    insufficient reporting on either side, raise nothing.
    """
    now = now or datetime.now(UTC)
    rank = {level: i for i, level in enumerate(THREAT_LEVELS)}
    frame = assessments.select("country", "week", "threat_level")
    alerts = []
    for (country,), weeks in frame.unique(["country", "week"], keep="last").group_by("country"):
        last_two = weeks.sort("week").tail(2).rows(named=True)
        if len(last_two) < 2:
            continue
        before, latest = last_two
        if latest["week"] - before["week"] != timedelta(days=7) or not {latest["threat_level"], before["threat_level"]} <= rank.keys():
            continue
        if rank[latest["threat_level"]] > rank[before["threat_level"]]:
            message = (f"{country}: threat level rose from {before['threat_level']} to {latest['threat_level']} "
                       f"in the week starting {latest['week']} (week of {before['week']}: {before['threat_level']})")
            alerts.append(Alert(alert_id("threat_rise", country, latest["week"]), now, "threat_rise", country, None, message))
    return sorted(alerts, key=lambda a: a.country or "")


def failing_feeds(fetches: pl.DataFrame, now: datetime | None = None) -> list[Alert]:
    """Feeds whose every fetch in the last 24 hours failed, with at least two fetches in that time.

    `fetches` has feed_url, fetched_at (naive UTC), status and optionally feed_name and error. To
    date a streak it needs every fetch since each feed's last healthy one (recent_fetches gives that).
    """
    now = now or datetime.now(UTC)
    since = (now - FAILING_WINDOW).astimezone(UTC).replace(tzinfo=None)
    frame = fetches.with_columns(
        healthy=pl.col("status").is_in(HEALTHY_FETCH_STATUSES),
        **{c: pl.lit(None, pl.String) for c in ("feed_name", "error") if c not in fetches.columns},
    )
    alerts = []
    for (feed_url,), history in frame.sort("fetched_at").group_by("feed_url", maintain_order=True):
        window = history.filter(pl.col("fetched_at") >= since)
        if window.height < MIN_FAILED_FETCHES or window["healthy"].any():
            continue
        last_healthy = history.filter(pl.col("healthy"))["fetched_at"].max()
        streak = history if last_healthy is None else history.filter(pl.col("fetched_at") > last_healthy)
        started = streak["fetched_at"].min()
        last = window.row(-1, named=True)
        name = last["feed_name"] or feed_url
        message = (f"feed {name} ({feed_url}) has failed every fetch for 24 h: {window.height} fetches in the last "
                   f"24 h, failing since {started:%Y-%m-%d %H:%M} UTC; last: {last['status']}"
                   + (f" ({last['error']})" if last["error"] else ""))
        streak_id = alert_id("feed_failing", feed_url, started.isoformat())
        alerts.append(Alert(streak_id, now, "feed_failing", None, feed_url, message))
    return alerts


# -- inputs from the warehouse ---------------------------------------------------------------------


def assessments(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql("SELECT country, week, threat_level FROM assessments ORDER BY country, week").pl()


def recent_fetches(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> pl.DataFrame:
    """Per feed, its fetches of the last 24 hours and every fetch since its last healthy one (included)."""
    now = now or datetime.now(UTC)
    since = (now - FAILING_WINDOW).astimezone(UTC).replace(tzinfo=None)
    healthy = ", ".join(f"'{s}'" for s in HEALTHY_FETCH_STATUSES)
    return con.sql(
        f"""
        WITH last_healthy AS (
            SELECT feed_url, max(fetched_at) AS at FROM feed_fetches WHERE status IN ({healthy}) GROUP BY feed_url
        )
        SELECT f.feed_url, f.feed_name, f.fetched_at, f.status, f.error
        FROM feed_fetches f LEFT JOIN last_healthy h USING (feed_url)
        WHERE f.fetched_at >= $since OR h.at IS NULL OR f.fetched_at >= h.at
        ORDER BY f.feed_url, f.fetched_at
        """,
        params={"since": since},
    ).pl()


# -- the record and the webhook --------------------------------------------------------------------


def stored_alert_ids(lake: Lake) -> set[str]:
    files = sorted(lake.table_dir("alerts").rglob("*.parquet"))
    return set(read_files(files, "alerts")["alert_id"]) if files else set()


def record_alerts(lake: Lake, alerts: list[Alert]) -> list[Alert]:
    """Append the alerts not raised before to the lake's `alerts` table; returns those new ones."""
    seen = stored_alert_ids(lake)
    new = []
    for alert in alerts:
        if alert.alert_id not in seen:
            seen.add(alert.alert_id)
            new.append(alert)
    if new:
        raised: date = new[0].raised_at.astimezone(UTC).date()
        batch_id = f"{new[0].raised_at.astimezone(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        lake.append("alerts", f"raised_on={raised}", batch_id, pl.DataFrame([a.row() for a in new]))
    return new


def post_alert(url: str, alert: Alert, timeout: float = WEBHOOK_TIMEOUT_S) -> bool:
    """POST the alert as JSON; a failure is logged (without the URL, which may hold a token) and returned as False."""
    try:
        response = httpx.post(url, json=alert.payload(), timeout=timeout, headers={"User-Agent": "Watchfloor alerts"})
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        log.warning("alert %s: the webhook answered HTTP %s", alert.alert_id, exc.response.status_code)
        return False
    except httpx.HTTPError as exc:
        log.warning("alert %s: the webhook could not be reached (%s)", alert.alert_id, type(exc).__name__)
        return False
    return True
