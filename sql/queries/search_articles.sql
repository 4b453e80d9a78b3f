-- Full-text-style search over article titles and summaries: every word of the query scores 2 in
-- the title and 1 in the summary (whole words, case-insensitive); best matches first.
-- Words are runs of letters, digits and '_', as in the article_words index written with the
-- articles, so the search reads only the index's row groups that hold its words.
--   duckdb -readonly data/warehouse.duckdb -c "SET VARIABLE query = 'drone border'" -c ".read sql/queries/search_articles.sql"
WITH query AS (
    SELECT DISTINCT unnest(regexp_extract_all(lower(getvariable('query')), '[\p{L}\p{N}_]+')) AS term
),
scored AS (
    SELECT w.article_id, w.week, sum(w.weight)::INT AS score
    FROM article_words AS w
    WHERE w.word IN (SELECT term FROM query)
    GROUP BY ALL
)
SELECT a.article_id, a.week, a.published_at, a.source, a.title, s.score
FROM scored AS s
JOIN articles AS a ON a.article_id = s.article_id AND a.week = s.week
ORDER BY s.score DESC, a.published_at DESC, a.article_id
LIMIT 20;
