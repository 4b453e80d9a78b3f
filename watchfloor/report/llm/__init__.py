"""The LLM side of the report: the client, the prompts, and the checks on what comes back.

client.py talks to any OpenAI-compatible server (retries, structured-output fallbacks, key
redaction) using replies.py (schema, parsing, the repair request) and cache.py (validated replies on
disk); prompts.py builds each section's prompt with the untrusted data fenced off; validate.py makes
a reply safe and bounded by the rules. These import the model and the rules, never the offline writer.
"""
