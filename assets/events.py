"""Stage 3, country_events: each monitored country's week of news as geolocated, categorised events."""

from datetime import date

import dagster as dg
import polars as pl

from assets.checks import Suites, blocking_checks, suite_results
from assets.metadata import OWNERS, markdown_table, table_metadata
from assets.partitions import WEEK_OF_COUNTRY_WEEK, Partitions, country_weeks
from resources.gazetteer import GazetteerResource
from resources.lake import LakeResource
from watchfloor.core.lake import Lake
from watchfloor.core.taxonomy import CATEGORIES
from watchfloor.events.extraction import extract_events
from watchfloor.events.relevance import relevant_articles


def stage(partitions: Partitions) -> list[dg.AssetsDefinition]:
    """The country_events asset and its checks, over the country-weeks."""

    @dg.asset(
        partitions_def=partitions.country_week,
        deps=[dg.AssetDep("articles", partition_mapping=WEEK_OF_COUNTRY_WEEK)],
        backfill_policy=dg.BackfillPolicy.single_run(),
        group_name="enrichment",
        kinds={"polars", "parquet", "duckdb"},
        owners=OWNERS,
        code_version="4",  # 2: security model, vector merging; 3: pair model, bodies, geo precision, fatalities; 4: blended category, neighbourhood pair features, Portuguese headlines translated
        description=(
            "For each monitored country and week: the articles about the country (not merely naming it) "
            "turned into events - what happened, its category, where (a named place, else the capital, "
            "with coordinates), when (the date in the text, else the publication date), partner countries "
            "and an intensity from 1 to 5. Several articles about one happening are one event with all "
            "their sources. Rule-based and deterministic: the same articles give the same events."
        ),
    )
    def country_events(context: dg.AssetExecutionContext, lake: LakeResource, gazetteer: GazetteerResource) -> dg.MaterializeResult:
        countries, places = gazetteer.get(), gazetteer.places()
        built: list[pl.DataFrame] = []
        n_relevant = 0
        for week, pairs in _by_week(country_weeks(context)).items():
            week_articles = _with_vectors(lake.get(), week)
            for country in pairs:
                relevant = relevant_articles(week_articles, country, countries)
                events = extract_events(relevant, country, week, places, countries)
                lake.get().replace_week("events", week, events, country=country)
                context.log.info(f"{country} {week}: {relevant.height} relevant articles -> {events.height} events")
                n_relevant += relevant.height
                built.append(events)
        lake.refresh_warehouse()

        everything = pl.concat(built)
        by_category = everything.group_by("category").len().sort("len", "category", descending=[True, False])
        return dg.MaterializeResult(
            metadata={
                **table_metadata(
                    "events", everything,
                    everything.sort("intensity", "source_count", descending=True).select(
                        "country", "event_date", "category", "intensity", "source_count", "location", "headline"),
                ),
                "relevant_articles": n_relevant,
                "events_by_category": dg.MetadataValue.md(markdown_table(by_category)),
            }
        )

    @dg.multi_asset_check(
        specs=blocking_checks("country_events", partitions.country_week, {
            "category_in_taxonomy": "Every category is one of the nine of the taxonomy.",
            "coordinates_valid": "lat within [-90, 90] and lng within [-180, 180], never null.",
            "intensity_in_range": "intensity is an integer from 1 to 5.",
            "country_matches_partition": "Every row's country is the partition's country.",
            "backed_by_articles": "Every event cites at least one article_id, and each exists in that week's articles.",
        }),
        can_subset=True,
    )
    def events_expectations(context: dg.AssetCheckExecutionContext, lake: LakeResource):
        """Great Expectations over the materialised country-weeks; a failure blocks the report stages."""
        yield from suite_results(context, country_events.key, _suites(lake, country_weeks(context)))

    return [country_events, events_expectations]


def _by_week(pairs: list[tuple[str, date]]) -> dict[date, list[str]]:
    grouped: dict[date, list[str]] = {}
    for country, week in pairs:
        grouped.setdefault(week, []).append(country)
    return grouped


def _suites(lake: LakeResource, pairs: list[tuple[str, date]]) -> Suites:
    """The checks' Great Expectations suites over the events of these country-weeks."""
    import great_expectations as gx

    frames = [lake.get().read_week("events", week, country).with_columns(expected_country=pl.lit(country))
              for country, week in pairs]
    events = pl.concat(frames) if frames else pl.DataFrame()
    weeks = sorted({week for _, week in pairs})
    known_ids = set(lake.get().read_weeks("articles", weeks, columns=["article_id"])["article_id"].to_list())
    citations = events.select("event_id", pl.col("article_ids").alias("article_id")).explode("article_id")
    citations = citations.with_columns(known=pl.col("article_id").is_in(list(known_ids)).fill_null(False))

    expect = gx.expectations
    return {
        "category_in_taxonomy": (events, [expect.ExpectColumnValuesToBeInSet(column="category", value_set=list(CATEGORIES))]),
        "coordinates_valid": (events, [
            expect.ExpectColumnValuesToBeBetween(column="lat", min_value=-90, max_value=90),
            expect.ExpectColumnValuesToBeBetween(column="lng", min_value=-180, max_value=180),
            expect.ExpectColumnValuesToNotBeNull(column="lat"),
            expect.ExpectColumnValuesToNotBeNull(column="lng"),
        ]),
        "intensity_in_range": (events, [expect.ExpectColumnValuesToBeBetween(column="intensity", min_value=1, max_value=5)]),
        "country_matches_partition": (
            events.with_columns(matches=pl.col("country") == pl.col("expected_country")),
            [expect.ExpectColumnValuesToBeInSet(column="matches", value_set=[True])],
        ),
        "backed_by_articles": (citations, [
            expect.ExpectColumnValuesToNotBeNull(column="article_id"),
            expect.ExpectColumnValuesToBeInSet(column="known", value_set=[True]),
        ]),
    }


def _with_vectors(lake: Lake, week: date) -> pl.DataFrame:
    """The week's articles with their vectors (for merging across languages); a clear failure when
    the week's articles were never built (the country schedule does not wait for them)."""
    if not (lake.table_dir("articles") / f"week={week}").is_dir():
        raise dg.Failure(f"articles [{week}] have not been built: materialise that partition of `articles` first")
    vectors = lake.read_week("article_vectors", week).select("article_id", "vector")
    return lake.read_week("articles", week).join(vectors, on="article_id", how="left")
