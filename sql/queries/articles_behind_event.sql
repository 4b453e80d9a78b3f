-- The articles behind one event, newest first.
--   duckdb -readonly data/warehouse.duckdb -c "SET VARIABLE event_id = '...'" -c ".read sql/queries/articles_behind_event.sql"
SELECT e.event_id, e.headline, a.article_id, a.published_at, a.source, a.title, a.url
FROM events AS e, unnest(e.article_ids) AS cited(article_id)
JOIN articles AS a ON a.article_id = cited.article_id AND a.week = e.week
WHERE e.event_id = getvariable('event_id')
ORDER BY a.published_at DESC;
