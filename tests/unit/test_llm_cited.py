"""Citations as structure on the wire (watchfloor/report/llm/cited.py): cited texts are asked for as
lists of sentences with their annex numbers and read back as the report's text."""

from __future__ import annotations

from watchfloor.report.llm.cited import unwire, wire_schema
from watchfloor.report.llm.replies import parse_reply, request_schema
from watchfloor.report.model import KeyDevelopments, Prose, StructuredAssessment


def test_every_cited_text_field_becomes_a_list_of_cited_sentences():
    kd = wire_schema(request_schema(KeyDevelopments, {"items": 10}))
    item = kd["$defs"]["KeyDevelopment"]["properties"]
    assert item["text"]["type"] == "array" and item["text"]["items"]["properties"]["annex"]["minItems"] == 1
    assert item["title"] == request_schema(KeyDevelopments)["$defs"]["KeyDevelopment"]["properties"]["title"]
    prose = wire_schema(request_schema(Prose))["properties"]["paragraphs"]
    assert prose["type"] == "array" and prose["items"]["type"] == "array"  # paragraphs of sentences
    sa = wire_schema(request_schema(StructuredAssessment))
    assert sa["properties"]["threat_level"]["enum"][0] == "Low"  # not a text: unchanged
    assert sa["$defs"]["Hotspot"]["properties"]["detail"]["type"] == "array"


def test_sentences_are_read_back_as_cited_text():
    reply = {"paragraphs": [[{"sentence": "Mongolia signed three documents in Ankara.", "annex": [4, 3]},
                             {"sentence": "  Talks   went on ", "annex": []}],
                            [{"sentence": "A second paragraph", "annex": [7, 7, True]}]]}
    assert unwire(reply) == {"paragraphs": ["Mongolia signed three documents in Ankara [3][4]. Talks went on.",
                                            "A second paragraph [7]."]}


def test_a_reply_in_the_plain_form_is_read_as_it_is():
    content = '{"paragraphs": ["Mongolia signed three documents in Ankara [11]."]}'
    prose, changes = parse_reply(content, Prose, request_schema(Prose))
    assert prose.paragraphs == ["Mongolia signed three documents in Ankara [11]."] and changes == []
    wired = '{"paragraphs": [[{"sentence": "Mongolia signed three documents in Ankara", "annex": [11]}]]}'
    assert parse_reply(wired, Prose, request_schema(Prose))[0] == prose
