"""Sensors: alerts on a rising threat level and on a feed that has failed for a day.

The detection lives in watchfloor/report/alerts.py; this sensor reads the warehouse read-only, records new
alerts in the lake's `alerts` table (deduplicated by alert_id, so each is raised once) and, when
WATCHFLOOR_ALERT_WEBHOOK is set, POSTs each new alert there as JSON. It launches no runs.
Stopped by default: switch it on in the UI (Automation, threat_and_feed_alerts).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import dagster as dg

from resources.lake import LakeResource
from watchfloor.core import warehouse
from watchfloor.report import alerts


@dg.sensor(
    name="threat_and_feed_alerts",
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Every 5 minutes: raises an alert when a country's threat level rises from the week before, or when "
        "every fetch of a feed in the last 24 hours failed (at least 2 fetches). Alerts are stored in the "
        "warehouse's `alerts` table and POSTed as JSON to WATCHFLOOR_ALERT_WEBHOOK when it is set."
    ),
)
def threat_and_feed_alerts(context: dg.SensorEvaluationContext, lake: LakeResource) -> dg.SkipReason:
    now = datetime.now(UTC)
    if not warehouse.warehouse_path(lake.get()).exists():
        return dg.SkipReason("no warehouse yet: nothing has been materialised")
    with warehouse.connect_read_only(lake.get()) as con:
        found = alerts.threat_rises(alerts.assessments(con), now) + alerts.failing_feeds(alerts.recent_fetches(con, now), now)
    new = alerts.record_alerts(lake.get(), found)
    if new:
        lake.refresh_warehouse()  # the alerts view reads the new files (first alert ever: rebuilds the catalog)
    for alert in new:
        context.log.warning(f"alert {alert.kind}: {alert.message}")
    webhook = os.environ.get(alerts.WEBHOOK_ENV)
    delivered = _deliver(context, webhook, new) if webhook else None
    return dg.SkipReason(_summary(len(found), len(new), delivered))


def _deliver(context: dg.SensorEvaluationContext, webhook: str, new: list[alerts.Alert]) -> int:
    """POST the alerts in order; after a failure the rest are not tried (a dead webhook would cost 10 s each).
    Undelivered alerts stay recorded in the alerts table and are not sent again."""
    for delivered, alert in enumerate(new):
        if not alerts.post_alert(webhook, alert):
            context.log.warning(f"{len(new) - delivered} of {len(new)} new alerts not delivered to {alerts.WEBHOOK_ENV}; "
                                "they are in the alerts table")
            return delivered
    return len(new)


def _summary(found: int, new: int, delivered: int | None) -> str:
    """The tick's line in the UI (the sensor launches no runs, so every tick is a 'skip')."""
    if not found:
        return "no alerts"
    if not new:
        return f"no new alerts ({found} raised before)"
    posted = "" if delivered is None else f", {delivered} posted to the webhook"
    before = f"; {found - new} raised before" if found > new else ""
    return f"{new} new alert(s){posted}{before}"
