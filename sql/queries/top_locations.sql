-- The places where most happened: events and peak intensity per location over the weeks in the lake.
SELECT country, location, round(lat, 4) AS lat, round(lng, 4) AS lng, count(*) AS events,
       max(intensity) AS max_intensity, min(event_date) AS first_seen, max(event_date) AS last_seen
FROM events
WHERE getvariable('country') IS NULL OR country = getvariable('country')
GROUP BY ALL
ORDER BY events DESC, max_intensity DESC, location
LIMIT 20;
