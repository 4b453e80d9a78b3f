"""Stage 1, raw_feeds: poll every configured feed and keep what came back (append-only)."""

from datetime import timedelta

import dagster as dg
import polars as pl

from assets.metadata import OWNERS, markdown_table, table_metadata
from resources.feeds import FeedClientResource
from resources.lake import LakeResource
from watchfloor.ingest.fetch import FETCH_STATUSES, HEALTHY_FETCH_STATUSES
from watchfloor.ingest.poll import poll_feeds

MAX_FAILED_SHARE = 0.25  # a poll in which more of the feeds failed gets a warning


@dg.asset(
    group_name="ingestion",
    kinds={"python", "parquet"},
    owners=OWNERS,
    pool="feed_polling",
    code_version="2",  # 2: each item's publisher and its feed's home country
    freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=3)),
    check_specs=[
        dg.AssetCheckSpec("fetch_statuses_known", asset="raw_feeds", blocking=True,
                          description="Every fetch-log status is one of the known statuses (Great Expectations)."),
        dg.AssetCheckSpec("feeds_mostly_reachable", asset="raw_feeds",
                          description="Warns when more than a quarter of the feeds failed in the latest poll."),
    ],
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
        poll = poll_feeds(feeds, fetcher, lake.get())
    warehouse = lake.refresh_warehouse()

    statuses = poll.fetches.group_by("status").len().sort("status")
    failed = poll.fetches.filter(~pl.col("status").is_in(list(HEALTHY_FETCH_STATUSES)))
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
        },
        check_results=[_statuses_known(poll.fetches), _mostly_reachable(poll.fetches, failed)],
    )


def _statuses_known(fetches: pl.DataFrame) -> dg.AssetCheckResult:
    import great_expectations as gx

    from watchfloor.core.quality import validate

    if fetches.is_empty():
        return dg.AssetCheckResult(check_name="fetch_statuses_known", passed=False,
                                   metadata={"reason": "the poll logged no fetch"})
    (outcome,) = validate(
        fetches.select("status"),
        [gx.expectations.ExpectColumnValuesToBeInSet(column="status", value_set=list(FETCH_STATUSES))],
        "feed_fetches",
    )
    return dg.AssetCheckResult(
        check_name="fetch_statuses_known",
        passed=outcome.success,
        metadata={"fetches": outcome.element_count, "unknown_statuses": outcome.unexpected_count, "sample": ", ".join(outcome.sample)},
    )


def _mostly_reachable(fetches: pl.DataFrame, failed: pl.DataFrame) -> dg.AssetCheckResult:
    share = failed.height / fetches.height if fetches.height else 1.0
    return dg.AssetCheckResult(
        check_name="feeds_mostly_reachable",
        passed=share <= MAX_FAILED_SHARE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"feeds": fetches.height, "failed": failed.height, "failed_share": round(share, 3)},
    )
