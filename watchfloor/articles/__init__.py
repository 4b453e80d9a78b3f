"""A week's raw feed items as articles: build (first-seen entries, clean text, language, the
countries named and each one's mention profile, the search index) and dedup (near duplicates of one
story across feeds and polls, by MinHash). articles imports core, text, places and events.
"""
