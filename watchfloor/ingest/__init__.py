"""Getting the news in: fetch (bounded, retrying, conditional HTTP and local files; every failure a
recorded status), parse (feedparser over a fetched document; never raises) and poll (one poll of
every feed: archive each document by content hash, append the fetch log and the raw items).
ingest imports core and text.
"""
