"""Stage 2, articles: each week's feed items as clean, deduplicated articles."""

from datetime import date

import dagster as dg
import polars as pl

from assets.checks import Suites, blocking_checks, suite_results
from assets.ingestion import raw_feeds
from assets.metadata import OWNERS, column_schema, markdown_table
from assets.partitions import Partitions
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from watchfloor.articles.build import build_week, store_articles
from watchfloor.core.weeks import week_bounds


def _weeks(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[date]:
    return [date.fromisoformat(key) for key in context.partition_keys]


CHECKED_COLUMNS = ("article_id", "week", "url", "title", "published_at", "source", "feed_url", "language")


def stage(partitions: Partitions) -> list[dg.AssetsDefinition]:
    """The articles asset and its checks, over the reporting weeks."""

    @dg.asset(
        partitions_def=partitions.weekly,
        deps=[raw_feeds],
        backfill_policy=dg.BackfillPolicy.single_run(),
        group_name="enrichment",
        kinds={"polars", "parquet", "duckdb"},
        owners=OWNERS,
        code_version="5",  # 2: mentions, article_words; 3: security judgement, vectors; 4: publishers, url as published; 5: model retrained on 964 labels
        description=(
            "The week's news (Wednesday 00:00 UTC to the next Wednesday) as clean articles: HTML turned "
            "to plain text, canonical URLs, language, the countries mentioned, and the same story seen "
            "in several feeds or polls collapsed into one row with its duplicate_count; with each article, "
            "the evidence of which countries it is about (mentions) and a word index for search "
            "(article_words); and, in any language, whether it is a security matter and of which category "
            "(security_category, security_score: a trained model over the article's multilingual vector, "
            "cached in article_vectors by content hash). Recomputed from the archive, so a backfill of an old week gives the rows a "
            "run in that week gave."
        ),
    )
    def articles(context: dg.AssetExecutionContext, lake: LakeResource, gazetteer: GazetteerResource) -> dg.MaterializeResult:
        gazetteer_ = gazetteer.get()
        # A range run keeps only each week's counts (a year of bodies would not fit in memory).
        rows = collapsed = 0
        languages: list[pl.DataFrame] = []
        countries: list[pl.DataFrame] = []
        security: list[pl.DataFrame] = []
        preview = pl.DataFrame()
        for week in _weeks(context):
            frame, vectors = build_week(lake.get().read_week("raw_items", week), week, gazetteer_,
                                        cached_vectors=lake.get().read_week("article_vectors", week))
            store_articles(lake.get(), week, frame, vectors)
            context.log.info(f"week {week}: {frame.height} articles")
            rows += frame.height
            collapsed += int(frame["duplicate_count"].sum() or 0) - frame.height
            languages.append(frame.group_by("language").len())
            countries.append(frame.select(pl.col("countries").explode().alias("country")).drop_nulls().group_by("country").len())
            security.append(frame.group_by("security_category").len())
            preview = frame.select("published_at", "source", "language", "countries", "security_category", "title").head(10)
        lake.refresh_warehouse()

        def totals(counts: list[pl.DataFrame], key: str) -> pl.DataFrame:
            return pl.concat(counts).group_by(key).agg(pl.col("len").sum()).sort("len", key, descending=[True, False])

        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "dagster/column_schema": column_schema("articles"),
                "preview": dg.MetadataValue.md(markdown_table(preview)),
                "weeks": ", ".join(str(w) for w in _weeks(context)),
                "duplicates_collapsed": collapsed,
                "languages": dg.MetadataValue.md(markdown_table(totals(languages, "language"))),
                "countries_mentioned": dg.MetadataValue.md(markdown_table(totals(countries, "country").head(15), limit=15)),
                "security_categories": dg.MetadataValue.md(markdown_table(totals(security, "security_category"), limit=12)),
            }
        )

    @dg.multi_asset_check(
        specs=blocking_checks("articles", partitions.weekly, {
            "article_id_unique": "No two rows of a week share an article_id.",
            "required_fields_present": "article_id, week, url, title, published_at, source, feed_url and language are never null.",
            "published_in_week": "Every published_at lies inside the partition's week.",
            "language_code_valid": "language is an ISO 639-1 code (or 'und').",
            "countries_valid_iso2": "Every mentioned country is a valid ISO 3166-1 alpha-2 code.",
        }),
        can_subset=True,
    )
    def articles_expectations(context: dg.AssetCheckExecutionContext, lake: LakeResource, gazetteer: GazetteerResource):
        """Great Expectations suites over the materialised weeks; a failure blocks the downstream stages."""
        yield from suite_results(context, articles.key, _suites(lake, gazetteer, _weeks(context)))

    return [articles, articles_expectations]


def _suites(lake: LakeResource, gazetteer: GazetteerResource, weeks: list[date]) -> Suites:
    """The checks' Great Expectations suites over the articles of these weeks."""
    import great_expectations as gx

    from watchfloor.text.language import VALID_LANGUAGE_CODES

    frame = lake.get().read_weeks("articles", weeks, columns=[*CHECKED_COLUMNS, "countries"])  # no text: a range is large
    bounds = [tuple(b.replace(tzinfo=None) for b in week_bounds(w)) for w in weeks]
    in_week = pl.any_horizontal(
        [(pl.col("week") == w) & pl.col("published_at").is_between(start, end, closed="left") for w, (start, end) in zip(weeks, bounds)]
    )
    expect = gx.expectations
    return {
        # an article republished the next week is a row in each week: unique within a week
        "article_id_unique": (frame, [expect.ExpectCompoundColumnsToBeUnique(column_list=["week", "article_id"])]),
        "required_fields_present": (frame, [expect.ExpectColumnValuesToNotBeNull(column=c) for c in CHECKED_COLUMNS]),
        "published_in_week": (
            frame.select("article_id", "published_at", inside=in_week),
            [expect.ExpectColumnValuesToBeInSet(column="inside", value_set=[True])],
        ),
        "language_code_valid": (
            frame, [expect.ExpectColumnValuesToBeInSet(column="language", value_set=sorted(VALID_LANGUAGE_CODES))]),
        "countries_valid_iso2": (
            frame.select(pl.col("countries").explode().alias("country")).drop_nulls(),
            [expect.ExpectColumnValuesToBeInSet(column="country", value_set=sorted(gazetteer.get().iso2_codes))],
        ),
    }
