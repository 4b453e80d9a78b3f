-- The geolocated hotspots of each country-week's assessment (places of events only), intensity 1-5.
CREATE OR REPLACE VIEW hotspots AS
SELECT week, country, label, detail, lat, lng, intensity
FROM {{hotspots}};
