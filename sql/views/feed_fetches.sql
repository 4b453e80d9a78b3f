-- Every fetch of every feed: the ingestion log. One row per feed per poll.
-- status: ok, not_modified (HTTP 304), unchanged (same bytes as the last fetch), http_error, timeout,
-- too_large, too_many_redirects, connection_error, io_error, not_a_feed, parse_error.
-- Times are UTC.
CREATE OR REPLACE VIEW feed_fetches AS
SELECT feed_url, feed_name, fetched_at, status, http_status, bytes, n_items, error,
       sha256, final_url, etag, last_modified, attempts, elapsed_ms, bozo, bozo_message, encoding, batch_id
FROM {{feed_fetches}};
