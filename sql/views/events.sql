-- Events per country and week: what happened (headline, summary), category (the nine of the
-- taxonomy), when (event_date: from the text, else the publication date; see date_basis), where
-- (location with lat/lng: a named place, else the capital; see location_basis), partner countries
-- (ISO2), intensity 1-5, and the articles behind it (article_ids -> articles.article_id).
CREATE OR REPLACE VIEW events AS
SELECT event_id, week, country, category, headline, summary, event_date, location, lat, lng,
       partners, intensity, article_ids, source_count, sources, date_basis, location_basis
FROM {{events}};
