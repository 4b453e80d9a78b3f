-- One row per country and week: the final assessment's threat level ("Insufficient reporting" when
-- the week's reporting was too thin to judge), the rule-based level it started from, the threat
-- method's version and score, who wrote it (model name or 'offline'), the sections that fell back to
-- the offline writer, what it rests on, the LLM tokens spent, and where the report is.
CREATE OR REPLACE VIEW assessments AS
SELECT week, country, threat_level, rule_level, level_reason, threat_method, threat_score, generated_by,
       offline_sections, n_events, n_articles, prompt_tokens, completion_tokens, llm_calls, report_path, generated_at
FROM {{assessments}};
