"""Where things are: gazetteer (country names, demonyms, capitals and major cities to ISO2 codes),
the place index (catalogue: cities, US states and the curated sites of config/places.yaml; index:
their names found in a text and resolved in context to coordinates), spelling (the one folding of
a name and the forms it is matched in) and geo (distances on the globe). places imports core and
text.
"""
