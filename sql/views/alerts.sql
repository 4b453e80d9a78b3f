-- Alerts raised by the threat_and_feed_alerts sensor, one row per alert, each raised once.
-- kind: 'threat_rise' (a country's threat level went up from the week before; country is set) or
-- 'feed_failing' (every fetch of a feed failed for 24 hours; feed_url is set). alert_id is a stable
-- hash (country and week, or feed and the start of its failing streak). raised_at is UTC.
CREATE OR REPLACE VIEW alerts AS
SELECT alert_id, raised_at, kind, country, feed_url, message
FROM {{alerts}};
