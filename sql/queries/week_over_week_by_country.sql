-- Week-over-week change per country: events, mean intensity, and the change from the week before.
WITH weekly AS (
    SELECT country, week, count(*) AS events, round(avg(intensity), 2) AS mean_intensity,
           count(*) FILTER (WHERE intensity >= 4) AS severe_events
    FROM events
    GROUP BY ALL
)
SELECT country, week, events, mean_intensity, severe_events,
       events - lag(events) OVER w AS events_change,
       round(mean_intensity - lag(mean_intensity) OVER w, 2) AS intensity_change
FROM weekly
WINDOW w AS (PARTITION BY country ORDER BY week)
ORDER BY country, week DESC;
