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
    return _short_normalised(text) if len(text) <= 500 else _normalise(text)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_WORD.sub("", _NOISE.sub(" ", text))


# Reposts repeat their (short) text: each is normalised once per process; ≤ 25 MB held.
_short_normalised = lru_cache(maxsize=50_000)(_normalise)


def fingerprint(text: str, *, fallback: str) -> str:
    """sha1 of the normalised text; text that normalises to nothing (a bare link) is its own
    story, keyed by `fallback` (the source and external id)."""
    key = normalised(text) or f"\x00{fallback}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()
