"""Stage 1, raw_feeds: poll every configured feed and keep what came back (append-only)."""

from datetime import timedelta

import dagster as dg
import polars as pl

from assets.metadata import OWNERS, markdown_table, table_metadata
from resources.feeds import FeedClientResource
from resources.lake import LakeResource
from watchfloor.ingest.fetch import FETCH_STATUSES
from watchfloor.ingest.poll import poll_feeds


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    owners=OWNERS,
    pool="feed_polling",
    code_version="1",
    freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=3)),
    description=(
        "Every configured news feed, polled once per run: each fetch is logged in `feed_fetches` "
        "(status, HTTP code, bytes, items, error), each document archived by content hash, and its "
        "items parsed into `raw_items`. Append-only: feeds show only recent items, so history exists "
        "only because it is kept here. A broken feed is recorded and never stops the others."
    ),
)
def raw_feeds(context: dg.AssetExecutionContext, feed_client: FeedClientResource, lake: LakeResource) -> dg.MaterializeResult:
    feeds = feed_client.feeds()
    context.log.info(f"polling {len(feeds)} feeds")
    with feed_client.fetcher() as fetcher:
        poll = poll_feeds(feeds, fetcher, lake.lake)
    warehouse = lake.refresh_warehouse()

    statuses = poll.fetches.group_by("status").len().sort("status")
    failed = poll.fetches.filter(~pl.col("status").is_in(["ok", "not_modified", "unchanged"]))
    for feed_url, status, error in failed.select("feed_url", "status", "error").iter_rows():
        context.log.warning(f"{status}: {feed_url}: {error}")
    return dg.MaterializeResult(
        metadata={
            **table_metadata("raw_items", poll.items, poll.items.select("feed_name", "title", "published_at", "date_flag")),
            "batch_id": poll.batch_id,
            "feeds_polled": poll.fetches.height,
            "feeds_failed": failed.height,
            "fetch_statuses": dg.MetadataValue.md(markdown_table(statuses)),
            "fetch_log": dg.MetadataValue.md(
                markdown_table(poll.fetches.select("feed_name", "status", "http_status", "bytes", "n_items", "error"), limit=50)
            ),
            "warehouse": dg.MetadataValue.path(warehouse),
        }
    )


def _latest_batch(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> pl.DataFrame:
    """The fetch-log rows written by the latest raw_feeds materialisation."""
    event = context.instance.get_latest_materialization_event(raw_feeds.key)
    batch_id = event.asset_materialization.metadata["batch_id"].value if event and event.asset_materialization else None
    files = sorted(lake.lake.table_dir("feed_fetches").glob(f"*/{batch_id}.parquet")) if batch_id else []
    return pl.read_parquet(files) if files else pl.DataFrame()


@dg.asset_check(asset=raw_feeds, blocking=True, description="Every fetch-log status is one of the known statuses (Great Expectations).")
def fetch_statuses_known(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    from watchfloor.core.quality import validate

    fetches = _latest_batch(context, lake)
    if fetches.is_empty():
        return dg.AssetCheckResult(passed=False, metadata={"reason": "no fetch log found for the latest poll"})
    (outcome,) = validate(
        fetches.select("status"),
        [gx.expectations.ExpectColumnValuesToBeInSet(column="status", value_set=list(FETCH_STATUSES))],
        "feed_fetches",
    )
    return dg.AssetCheckResult(
        passed=outcome.success,
        metadata={"fetches": outcome.element_count, "unknown_statuses": outcome.unexpected_count, "sample": ", ".join(outcome.sample)},
    )


@dg.asset_check(asset=raw_feeds, description="Warns when more than a quarter of the feeds failed in the latest poll.")
def feeds_mostly_reachable(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    fetches = _latest_batch(context, lake)
    failed = fetches.filter(~pl.col("status").is_in(["ok", "not_modified", "unchanged"])) if fetches.height else fetches
    share = failed.height / fetches.height if fetches.height else 1.0
    return dg.AssetCheckResult(
        passed=share <= 0.25,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"feeds": fetches.height, "failed": failed.height, "failed_share": round(share, 3)},
    )
