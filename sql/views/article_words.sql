-- The articles' search index: each distinct lower-case word (a run of letters, digits and '_') of
-- an article's title or summary; weight 2 when the title has it, +1 when the summary has it.
-- Written with the articles, sorted by word (sql/queries/search_articles.sql reads it).
CREATE OR REPLACE VIEW article_words AS
SELECT word, article_id, week, weight
FROM {{article_words}};
