-- Events by category per week for one country (default: all countries).
--   duckdb -readonly data/warehouse.duckdb -c "SET VARIABLE country = 'MN'" -c ".read sql/queries/events_by_category_per_week.sql"
SELECT week, country, category, count(*) AS events, sum(source_count) AS sources, max(intensity) AS max_intensity
FROM events
WHERE getvariable('country') IS NULL OR country = getvariable('country')
GROUP BY ALL
ORDER BY week DESC, country, events DESC, category;
