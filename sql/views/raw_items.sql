-- Feed items as parsed, one row per item per fetch (a document identical to the feed's previous
-- fetch is logged as `unchanged` and adds no rows). `sha256` names the archived document.
-- published_at is UTC; date_flag says when it is the fetch time instead of the feed's date:
-- 'missing' (no date in the feed) or 'future' (a date too far ahead to trust).
CREATE OR REPLACE VIEW raw_items AS
SELECT feed_url, feed_name, guid, link, title, summary, content, author, source,
       published_at, published_raw, date_flag, language, fetched_at, sha256, week, batch_id
FROM {{raw_items}};
