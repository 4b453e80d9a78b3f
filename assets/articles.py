"""Stage 2, articles: each week's feed items as clean, deduplicated articles."""


from datetime import date

import dagster as dg
import polars as pl

from assets.ingestion import raw_feeds
from assets.metadata import OWNERS, markdown_table, table_metadata
from orchestration.partitions import weekly_partitions
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from watchfloor.articles import build_articles
from watchfloor.weeks import week_bounds


def _weeks(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[date]:
    return [date.fromisoformat(key) for key in context.partition_keys]


@dg.asset(
    partitions_def=weekly_partitions,
    deps=[raw_feeds],
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="enrichment",
    kinds={"polars", "parquet", "duckdb"},
    owners=OWNERS,
    code_version="1",
    description=(
        "The week's news (Wednesday 00:00 UTC to the next Wednesday) as clean articles: HTML turned "
        "to plain text, canonical URLs, language, the countries mentioned, and the same story seen "
        "in several feeds or polls collapsed into one row with its duplicate_count. Recomputed from "
        "the archive, so a backfill of an old week gives the rows a run in that week gave."
    ),
)
def articles(context: dg.AssetExecutionContext, lake: LakeResource, gazetteer: GazetteerResource) -> dg.MaterializeResult:
    gazetteer_ = gazetteer.get()
    built: list[pl.DataFrame] = []
    for week in _weeks(context):
        frame = build_articles(lake.lake.read_week("raw_items", week), week, gazetteer_)
        lake.lake.replace_week("articles", week, frame)
        context.log.info(f"week {week}: {frame.height} articles")
        built.append(frame)
    lake.refresh_warehouse()

    everything = pl.concat(built)
    by_country = (
        everything.select(pl.col("countries").explode().alias("country")).drop_nulls()
        .group_by("country").len().sort("len", "country", descending=[True, False]).head(15)
    )
    return dg.MaterializeResult(
        metadata={
            **table_metadata("articles", everything, everything.select("published_at", "source", "language", "countries", "duplicate_count", "title")),
            "weeks": ", ".join(str(w) for w in _weeks(context)),
            "duplicates_collapsed": int(everything["duplicate_count"].sum() or 0) - everything.height,
            "languages": dg.MetadataValue.md(markdown_table(everything.group_by("language").len().sort("len", descending=True))),
            "countries_mentioned": dg.MetadataValue.md(markdown_table(by_country, limit=15)),
        }
    )


CHECKED_COLUMNS = ("article_id", "week", "url", "title", "published_at", "source", "feed_url", "language")


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec("article_id_unique", asset=articles, blocking=True, partitions_def=weekly_partitions,
                          description="No two rows share an article_id."),
        dg.AssetCheckSpec("required_fields_present", asset=articles, blocking=True, partitions_def=weekly_partitions,
                          description="article_id, week, url, title, published_at, source, feed_url and language are never null."),
        dg.AssetCheckSpec("published_in_week", asset=articles, blocking=True, partitions_def=weekly_partitions,
                          description="Every published_at lies inside the partition's week."),
        dg.AssetCheckSpec("language_code_valid", asset=articles, blocking=True, partitions_def=weekly_partitions,
                          description="language is an ISO 639-1 code (or 'und')."),
        dg.AssetCheckSpec("countries_valid_iso2", asset=articles, blocking=True, partitions_def=weekly_partitions,
                          description="Every mentioned country is a valid ISO 3166-1 alpha-2 code."),
    ],
    can_subset=True,
)
def articles_expectations(context: dg.AssetCheckExecutionContext, lake: LakeResource, gazetteer: GazetteerResource):
    """Great Expectations suites over the materialised weeks; a failure blocks the downstream stages."""
    import great_expectations as gx

    from watchfloor.quality import validate
    from watchfloor.text import VALID_LANGUAGE_CODES

    weeks = _weeks(context)
    frame = lake.lake.read_weeks("articles", weeks)
    per_week = [
        validate(
            week_frame,
            [gx.expectations.ExpectColumnValuesToBeBetween(
                column="published_at", min_value=start.replace(tzinfo=None), max_value=end.replace(tzinfo=None), strict_max=True)],
            "articles_week",
        )[0]
        for week in weeks
        for start, end in [week_bounds(week)]
        for week_frame in [frame.filter(pl.col("week") == week)]
    ]
    outcomes = {
        "article_id_unique": validate(frame, [gx.expectations.ExpectColumnValuesToBeUnique(column="article_id")], "articles"),
        "required_fields_present": validate(
            frame, [gx.expectations.ExpectColumnValuesToNotBeNull(column=c) for c in CHECKED_COLUMNS], "articles"),
        "published_in_week": per_week,
        "language_code_valid": validate(
            frame, [gx.expectations.ExpectColumnValuesToBeInSet(column="language", value_set=sorted(VALID_LANGUAGE_CODES))], "articles"),
        "countries_valid_iso2": validate(
            frame.select(pl.col("countries").explode().alias("country")).drop_nulls(),
            [gx.expectations.ExpectColumnValuesToBeInSet(column="country", value_set=sorted(gazetteer.get().iso2_codes))],
            "article_countries",
        ),
    }
    for name, results in outcomes.items():
        if dg.AssetCheckKey(articles.key, name) not in context.selected_asset_check_keys:
            continue
        failed = [o for o in results if not o.success]
        yield dg.AssetCheckResult(
            check_name=name,
            asset_key=articles.key,
            passed=not failed,
            metadata={
                "rows": frame.height,
                "unexpected": sum(o.unexpected_count for o in results),
                "failures": "; ".join(f"{o.column}: {o.unexpected_count} e.g. {', '.join(o.sample)}" for o in failed) or "none",
            },
        )
