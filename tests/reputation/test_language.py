"""The language rule: a post is Chinese from a fifth of its letters being Han characters."""

import pytest

from apps.reputation.text import fingerprint, language_of, normalised

CASES = [
    ("提现 pending 3天了", "zh"),  # 4 Han, 7 Latin: 4/11
    ("客服电话一直打不通", "zh"),
    ("My account is frozen and nobody answers", "en"),
    ("I love 北京 very much", "en"),  # 2 Han, 14 Latin: 2/16
    ("APP闪退 again", "zh"),  # 2 Han, 8 Latin: 2/10 = the threshold
    ("APP闪 again", "en"),  # 1 Han, 8 Latin: 1/9
    ("Withdrawal 失败", "en"),  # 2 Han, 10 Latin: 2/12, under a fifth
    ("12345 !!!", "und"),
    ("👍👍👍", "und"),
    ("", "und"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_language_of_hand_written_cases(text, expected):
    assert language_of(text) == expected


def test_full_width_letters_are_not_counted_as_latin():
    assert language_of("ＡＢＣ") == "und"


def test_reposts_and_copies_normalise_to_the_same_text():
    original = "提现失败！客服不理人"
    assert normalised(original) == "提现失败客服不理人"
    for copy in (
        "//@张三: 提现失败！客服不理人",
        "转发微博 提现失败， 客服不理人 https://t.cn/abc",
        "提现失败!客服不理人",  # half-width punctuation
    ):
        assert fingerprint(copy, fallback="x") == fingerprint(original, fallback="y")
    assert normalised("RT @bob: Hidden FEES!!") == "hiddenfees"


def test_a_text_that_normalises_to_nothing_is_its_own_story():
    assert fingerprint("https://t.cn/abc", fallback="a/1") != fingerprint(
        "https://t.cn/abc", fallback="a/2"
    )
