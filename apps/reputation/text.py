"""Pure text rules: the language of a mention and the fingerprint that groups reposts."""

import hashlib
import re
import unicodedata
from functools import lru_cache

# Han ideographs: the unified block, extension A and the compatibility block.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# One Chinese character carries about as much as a short English word, so a post is Chinese
# from a fifth of its letters being Han: "提现 pending 3天了" (4 Han, 7 Latin) is Chinese,
# "I love 北京 very much" (2 Han, 14 Latin) is English.
ZH_MIN_SHARE = 0.2


def language_of(text: str) -> str:
    """ "zh", "en", or "und" for text without letters (digits, emoji, punctuation)."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han + latin == 0:
        return "und"
    return "zh" if han / (han + latin) >= ZH_MIN_SHARE else "en"


# Links, repost chains and handles ("//@张三: …", "RT @bob: …", "@bank_cs"), repost words: one
# pass of one pattern, then everything that is not a letter or digit.
_NOISE = re.compile(
    r"https?://\S+|www\.\S+|(?://\s*)?@[\w\-]+[:：]?|\bRT\b|转发微博|转发|repost",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalised(text: str) -> str:
    """Case, width, links, handles, repost markers, punctuation and spaces removed: what is
    left is what a repost or a copy shares with its original."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_WORD.sub("", _NOISE.sub(" ", text))


def fingerprint(text: str, *, fallback: str) -> str:
    """sha1 of the normalised text; text that normalises to nothing (a bare link) is its own
    story, keyed by `fallback` (the source and external id)."""
    return text_keys(text)[1] or fallback_fingerprint(fallback)


def fallback_fingerprint(fallback: str) -> str:
    return hashlib.sha1(f"\x00{fallback}".encode()).hexdigest()


def _text_keys(text: str) -> tuple[str, str]:
    key = normalised(text)
    return language_of(text), hashlib.sha1(key.encode("utf-8")).hexdigest() if key else ""


# Reposts repeat their (short) text: its language and fingerprint are worked out once per
# process for each distinct text (≤ 50,000 held, ~25 MB).
_short_text_keys = lru_cache(maxsize=50_000)(_text_keys)


def text_keys(text: str) -> tuple[str, str]:
    """(language, fingerprint) of a mention's text; the fingerprint is "" when the text
    normalises to nothing (see fingerprint)."""
    return _short_text_keys(text) if len(text) <= 500 else _text_keys(text)
