"""The root room: what every other room stands on, and nothing that needs them.

config (settings from the environment and the feeds file), weeks (the Wednesday reporting week),
lake (table schemas, atomic Parquet partition writes, the content-addressed feed archive),
warehouse (the analysts' DuckDB catalog of views over the lake), quality (Great Expectations over
polars frames), taxonomy (the event categories and their headings) and union_find (groups that
join transitively, led by their smallest member). core imports no other watchfloor room.
"""
