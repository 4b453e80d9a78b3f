"""The LLM side of the report: the client, the prompts, and the checks on what comes back.

client.py talks to any OpenAI-compatible server (bounded, seeded requests; retries; timeouts from
the server's measured speed, timing.py; structured-output fallbacks; key redaction) using replies.py
(schema with list bounds, parsing, the repair request), repair.py (values the grammar does not bound,
put right before validation) and cache.py (replies and lasting failures on disk, with the calls
that produced them, usage.py); prompts.py builds each section's prompt with the untrusted data
fenced off and sets its bounds; validate.py makes a reply safe and bounded by the rules, passing
every sentence through the citation gate (grounding.py); failures.py keeps rejected replies for
debugging. These import the model and the rules, never the offline writer.
"""
