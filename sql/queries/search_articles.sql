-- Full-text-style search over article titles and summaries: every word of the query scores 2 in
-- the title and 1 in the summary (whole words, case-insensitive); best matches first.
-- Words are runs of letters, digits and '_' (the pattern that filled title_words and summary_words
-- when the articles were built), so the query reads two short lists per article, not the text.
--   duckdb -readonly data/warehouse.duckdb -c "SET VARIABLE query = 'drone border'" -c ".read sql/queries/search_articles.sql"
WITH query AS (
    SELECT list_distinct(regexp_extract_all(lower(getvariable('query')), '[\p{L}\p{N}_]+')) AS terms
)
SELECT a.article_id, a.week, a.published_at, a.source, a.title,
       2 * len(list_intersect(a.title_words, query.terms)) + len(list_intersect(a.summary_words, query.terms)) AS score
FROM articles AS a, query
WHERE list_has_any(a.title_words, query.terms) OR list_has_any(a.summary_words, query.terms)
ORDER BY score DESC, a.published_at DESC, a.article_id
LIMIT 20;
