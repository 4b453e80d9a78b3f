"""Getting the news in: fetch (bounded, retrying, conditional HTTP and local files; every failure a
recorded status), parse (a fetched document to raw items, never raising: the lxml fast path of
fast_parse for the documents it reads exactly as feedparser does, feedparser for the rest) and
poll (one poll of every feed: archive each document by content hash, append the fetch log and the
raw items).
ingest imports core and text.
"""
