-- Full-text-style search over article titles and summaries: every word of the query scores 2 in
-- the title and 1 in the summary (whole words, case-insensitive); best matches first.
--   duckdb -readonly data/warehouse.duckdb -c "SET VARIABLE query = 'drone border'" -c ".read sql/queries/search_articles.sql"
WITH terms AS (
    SELECT DISTINCT term
    FROM unnest(regexp_split_to_array(lower(trim(getvariable('query'))), '\s+')) AS t(term)
    WHERE term <> ''
),
scored AS (
    SELECT a.article_id, a.week, a.published_at, a.source, a.title,
           sum(2 * regexp_matches(lower(a.title), '\b' || regexp_escape(t.term) || '\b')::INT
               + regexp_matches(lower(a.summary), '\b' || regexp_escape(t.term) || '\b')::INT) AS score
    FROM articles AS a, terms AS t
    GROUP BY ALL
)
SELECT * FROM scored
WHERE score > 0
ORDER BY score DESC, published_at DESC, article_id
LIMIT 20;
