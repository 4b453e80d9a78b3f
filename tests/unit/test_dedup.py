from __future__ import annotations

import random

from watchfloor.articles.dedup import near_duplicate_groups

STORY = (
    "ULAANBAATAR, June 25 (Reuters) - Mongolia's parliament on Thursday approved a bill to expand the "
    "country's border guard, as the landlocked nation seeks to tighten control over its long frontiers "
    "with Russia and China. The legislation, passed by a majority of lawmakers, will add two new border "
    "detachments and increase funding for surveillance equipment over the next three years, according to "
    "a statement from the State Great Khural. Officials said the move was prompted by a rise in illegal "
    "crossings and the smuggling of livestock and fuel. The defence ministry said joint patrols with "
    "neighbouring countries would continue."
)
REUTERS = "Mongolia approves border guard expansion\n" + STORY
SYNDICATED = (
    "Mongolian lawmakers back bigger border force amid smuggling worries\n"
    + STORY.replace("(Reuters) - ", "(Reuters) — ")
    + " The bill now goes to the president, who is expected to sign it next week."
)
OTHER_STORY = (
    "Kazakhstan holds rate as inflation persists\n"
    "ALMATY, June 26 (Reuters) - Kazakhstan's central bank on Friday kept its base rate unchanged, "
    "citing persistent inflation pressures and uncertainty over global oil prices, the regulator said "
    "in a statement. The decision was in line with the expectations of analysts polled by Reuters. "
    "The bank said it would review the rate again in July and did not rule out further tightening "
    "if price growth fails to slow in the coming months."
)
SAME_TEMPLATE = (  # same wire template and several shared phrases, a different event
    "Mongolia holds rate as inflation persists\n"
    "ULAANBAATAR, June 26 (Reuters) - Mongolia's central bank on Friday kept its policy rate unchanged, "
    "pointing to slowing coal exports and a weaker tugrik, the regulator said in a statement. "
    "Most economists had forecast a cut after two months of easing prices. "
    "The bank said it stood ready to act if the currency came under renewed pressure."
)


def test_syndicated_rewrite_groups_with_the_original() -> None:
    groups = near_duplicate_groups([OTHER_STORY, REUTERS, SAME_TEMPLATE, SYNDICATED])
    assert groups == [0, 1, 2, 1]


def test_representative_is_the_smallest_index_of_the_group() -> None:
    groups = near_duplicate_groups([SYNDICATED, OTHER_STORY, REUTERS, REUTERS.upper(), SYNDICATED])
    assert groups == [0, 1, 0, 0, 0]


def test_exact_copies_group_whatever_the_case_and_punctuation() -> None:
    loud = REUTERS.upper().replace(",", "").replace(".", "!")
    assert near_duplicate_groups([REUTERS, loud]) == [0, 0]


def test_different_stories_stay_apart() -> None:
    stories = [REUTERS, OTHER_STORY, SAME_TEMPLATE, STORY[:200], STORY[200:]]
    assert near_duplicate_groups(stories) == [0, 1, 2, 3, 4]


def test_short_texts_only_group_when_identical() -> None:
    texts = ["Breaking news", "breaking news!", "Breaking news today", "Breaking news tonight", "Mongolia votes"]
    assert near_duplicate_groups(texts) == [0, 0, 2, 3, 4]


def test_empty_texts_are_not_duplicates_of_each_other() -> None:
    assert near_duplicate_groups(["", REUTERS, "", "   ", "..."]) == [0, 1, 2, 3, 4]


def test_headline_length_texts_compare_on_words() -> None:
    texts = [
        "Mongolia approves expansion of its border guard",
        "Mongolia approves expansion of the border guard",
        "Mongolia rejects plan to expand border guard",
    ]
    assert near_duplicate_groups(texts, threshold=0.6) == [0, 0, 2]


def test_japanese_text_is_shingled_by_characters() -> None:
    story = (
        "モンゴル国会は木曜日、国境警備隊を拡充する法案を可決した。ロシアと中国に接する長い国境の管理を強化する狙いがある。"
        "法案は今後三年間で二つの国境部隊を新設し、監視機器の予算を増やす。"
    )
    other = "カザフスタン中央銀行は金曜日、政策金利を据え置いた。根強いインフレ圧力と原油価格の不透明感を理由に挙げた。"
    assert near_duplicate_groups([story, other, story + "大統領は来週署名する見通しだ。"]) == [0, 1, 0]


def test_threshold_controls_how_close_texts_must_be() -> None:
    assert near_duplicate_groups([REUTERS, SYNDICATED], threshold=0.95) == [0, 1]


def test_deterministic_and_order_independent_membership() -> None:
    rng = random.Random(11)
    words = STORY.split() + OTHER_STORY.split()
    texts = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(300)]
    texts += [text.replace(" the ", " a ", 1) + " Updated." for text in texts[:100]]  # near copies
    first = near_duplicate_groups(texts)
    assert near_duplicate_groups(list(texts)) == first
    assert sum(1 for index, rep in enumerate(first) if rep != index) >= 100

    order = list(range(len(texts)))
    rng.shuffle(order)
    shuffled = near_duplicate_groups([texts[i] for i in order])

    def members(groups: list[int], ids: list[int]) -> set[frozenset[int]]:
        by_rep: dict[int, set[int]] = {}
        for position, rep in enumerate(groups):
            by_rep.setdefault(rep, set()).add(ids[position])
        return {frozenset(group) for group in by_rep.values()}

    assert members(shuffled, order) == members(first, list(range(len(texts))))
