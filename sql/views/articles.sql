-- Cleaned articles of each reporting week (Wednesday 00:00 UTC, keyed by that date): plain text,
-- canonical URL, language, mentioned countries (ISO2), exact and near duplicates collapsed.
-- duplicate_count: how many distinct feed entries (across feeds and polls) the article stands for;
-- 1 means it was seen once. published_at is UTC.
-- mentions: per country named, its weighted salience and whether the headline or the lead names it
-- (the evidence of watchfloor/relevance.py).
CREATE OR REPLACE VIEW articles AS
SELECT article_id, week, url, title, summary, body, published_at, source, feed_url, language,
       countries, duplicate_count, sources, feed_urls, date_flag, first_seen_at, mentions
FROM {{articles}};
