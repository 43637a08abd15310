"""Topics: keyword lists in Chinese and English that tag mentions (many topics a mention).

Matching (`Matcher`), on the text as it is, whatever its detected language (a mixed post such
as "提现 pending 3天了" can hold keywords of both):

- a **Chinese** keyword matches where it occurs starting and ending on boundaries of the
  text's jieba segmentation (it may span several words, never part of one): "泄露" matches
  "用户数据泄露了" (用户/数据/泄露/了), "跑路" matches "平台跑路了吗" (平台/跑/路/了/吗), but
  "和服" does not match "他和服务员吵架" (他/和/服务员/吵架) — the mistake a substring search
  makes. The word boundaries of Chinese, as `\b` is of English;
- an **English** keyword matches case-insensitively as whole words: "fee" matches "a fee of
  5" but not "feedback"; a phrase matches with its words in order, whatever the spacing or
  punctuation between them ("hidden fees", "Hidden, fees"); "can't" is one word.

jieba loads its dictionary once per process (~1 s, ~100 MB); a text is segmented only when one
of the tenant's Chinese keywords occurs in it as a substring, so most texts never are.

When: the scoring job tags the mentions it scores (one INSERT per chunk, a hook in
services/scoring.py), and a change of a topic's keywords (or activity) asks for a job that
tags that topic's mentions again (`topics_rematch`): its old tags go and the new ones come in
one transaction, then the days whose topic figures moved are computed again.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from apps.core import services as jobs
from apps.core.models import Job, JobStatus
from apps.core.transactions import enqueue_task_on_commit
from apps.reputation.models import Mention, MentionTopic, Topic
from apps.reputation.module import JOB_TOPICS

TOPICS_TASK = "reputation.match_topics"
CHUNK = 2000


@cache
def _jieba():
    """jieba's default tokenizer with its dictionary loaded: once per process."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(text: str) -> list[str]:
    """jieba's tokens of a text (accurate mode, its HMM for words not in the dictionary),
    spaces included: they join back into the text."""
    return _jieba().lcut(text)


def boundaries(text: str) -> set[int]:
    """The offsets where a word of the text's segmentation starts or ends."""
    out, at = {0}, 0
    for token in segment(text):
        at += len(token)
        out.add(at)
    return out


def _on_boundaries(text: str, keyword: str, bounds: set[int]) -> bool:
    start = text.find(keyword)
    while start != -1:
        if start in bounds and start + len(keyword) in bounds:
            return True
        start = text.find(keyword, start + 1)
    return False


def _has_han(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in word)


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # letters and digits, "can't" one word
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def english_words(text: str) -> list[str]:
    """The words of an English text or keyword, case-folded."""
    return _WORD.findall(text.casefold())


class Matcher:
    """The tenant's active topics, compiled: `match(text)` is the set of their ids.

    English: the text's words are looked up by their first word in one dict of the keywords
    (a phrase then compared word by word), so a text costs one pass over its words, however
    many keywords. Chinese: one regex says whether a keyword occurs at all; only then is the
    text segmented (jieba) and each occurrence checked against the word boundaries."""

    def __init__(self, topics: Iterable[Topic]):
        # first word → [(words of the keyword, topic id)]
        self.english: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        self.chinese: list[tuple[object, list[str]]] = []  # (topic id, keywords)
        substrings: set[str] = set()
        for topic in topics:
            for keyword in topic.keywords_en:
                words = tuple(english_words(keyword))
                if words:
                    self.english.setdefault(words[0], []).append((words, topic.pk))
            keywords = [k.strip() for k in topic.keywords_zh if k.strip()]
            if keywords:
                self.chinese.append((topic.pk, keywords))
                substrings.update(keywords)
        self.any_chinese = (
            re.compile("|".join(re.escape(s) for s in sorted(substrings, key=len, reverse=True)))
            if substrings
            else None
        )

    def __bool__(self) -> bool:
        return bool(self.english or self.chinese)

    def match(self, text: str) -> set:
        found: set = set()
        if self.english:
            words = english_words(text)
            for i, word in enumerate(words):
                for keyword, pk in self.english.get(word, ()):
                    if pk not in found and tuple(words[i : i + len(keyword)]) == keyword:
                        found.add(pk)
        if self.any_chinese is not None and _HAN.search(text) and self.any_chinese.search(text):
            bounds = boundaries(text)
            found.update(
                pk
                for pk, keywords in self.chinese
                if any(_on_boundaries(text, keyword, bounds) for keyword in keywords)
            )
        return found


def active_matcher() -> Matcher:
    return Matcher(Topic.objects.filter(active=True).only("id", "keywords_zh", "keywords_en"))


_INSERT_SQL = """
    INSERT INTO {table} (mention_id, topic_id)
    SELECT m, t FROM unnest(%s::uuid[], %s::uuid[]) AS pairs(m, t)
    WHERE EXISTS (SELECT 1 FROM {mention} WHERE id = m)
    ON CONFLICT (topic_id, mention_id) DO NOTHING
"""


def _insert(pairs: list[tuple[object, object]]) -> int:
    if not pairs:
        return 0
    sql = _INSERT_SQL.format(table=MentionTopic._meta.db_table, mention=Mention._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [[str(m) for m, _ in pairs], [str(t) for _, t in pairs]])
        return cursor.rowcount


def tag_rows(rows: Sequence[Sequence], matcher: Matcher | None = None) -> int:
    """Tag mentions given as (id, language, text) rows (the scoring job's chunks; a deleted
    mention's text is None) with every active topic they match: one INSERT for the chunk,
    a tag already there kept. Returns the tags added."""
    matcher = matcher if matcher is not None else active_matcher()
    if not matcher:
        return 0
    pairs = [(row[0], pk) for row in rows if row[2] for pk in matcher.match(row[2])]
    return _insert(pairs)


def _candidates(topic: Topic):
    """The ids and texts of the mentions that may hold one of the topic's keywords (a
    case-insensitive regex in PostgreSQL narrows the walk; the matcher decides), in key order."""
    words = [w.strip() for w in [*topic.keywords_zh, *topic.keywords_en] if w.strip()]
    if not words:
        return
    # Every character that is not a letter or digit is escaped: literal in PostgreSQL's ARE.
    pattern = "|".join(
        "".join(ch if ch.isalnum() else "\\" + ch for ch in word.casefold()) for word in words
    )
    last = None
    while True:
        page = Mention.objects.filter(text__iregex=pattern).order_by("id")
        if last is not None:
            page = page.filter(id__gt=last)
        rows = list(page.values_list("id", "text")[:CHUNK])
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _days_of(topic_id) -> set[date]:
    tz = timezone.get_current_timezone_name()
    sql = f"""
        SELECT DISTINCT (m.published_at AT TIME ZONE %s)::date
        FROM {MentionTopic._meta.db_table} t JOIN {Mention._meta.db_table} m ON m.id = t.mention_id
        WHERE t.topic_id = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [tz, topic_id])
        return {row[0] for row in cursor.fetchall()}


@transaction.atomic
def topic_rematch(*, topic_id, progress=None) -> dict:
    """Tag the topic's mentions again from its current keywords: its old tags go, the new come,
    in one transaction (a reader sees the old set or the new one); the days whose per-topic
    figures moved (old and new tags) are computed again. Returns counts."""
    from apps.reputation.services.index import MAX_DAYS, days_refresh

    topic = Topic.objects.select_for_update().filter(pk=topic_id).first()
    if topic is None:
        return {"tagged": 0, "removed": 0, "days": 0}
    days = _days_of(topic.pk)
    removed, _ = MentionTopic.objects.filter(topic_id=topic.pk).delete()
    tagged = 0
    if topic.active:
        matcher = Matcher([topic])
        for rows in _candidates(topic):
            tagged += _insert([(pk, topic.pk) for pk, text in rows if matcher.match(text)])
            if progress:
                progress(50)
    days |= _days_of(topic.pk)
    ordered, refreshed = sorted(days), 0
    for start in range(0, len(ordered), MAX_DAYS):
        refreshed += days_refresh(days=ordered[start : start + MAX_DAYS])["days"]
    return {"tagged": tagged, "removed": removed, "days": refreshed}


def rematch_enqueue(*, topic_id, created_by=None) -> Job:
    """A job tagging this topic's mentions again (one while one is still queued for it)."""
    for waiting in jobs.jobs_active(kind=JOB_TOPICS, status=JobStatus.QUEUED):
        if waiting.input.get("topic") == str(topic_id):
            return waiting
    job = jobs.job_create(kind=JOB_TOPICS, created_by=created_by, input={"topic": str(topic_id)})
    enqueue_task_on_commit(TOPICS_TASK, str(job.pk))
    return job


EDITABLE = ("name", "keywords_zh", "keywords_en", "risk_categories", "active")
MAX_KEYWORDS = 200


def _keywords(value, field: str, problems, *, chinese: bool) -> list[str]:
    from apps.reputation.errors import ReputationErrorCode as Code

    if not isinstance(value, list | tuple) or not all(isinstance(w, str) for w in value):
        problems.add(field, "A list of words or phrases.")
        return []
    out: list[str] = []
    for word in value:
        word = " ".join(word.split())
        if not word or word.casefold() in {w.casefold() for w in out}:
            continue
        if len(word) > 100:
            problems.add(field, f"At most 100 characters: {word[:20]}…", Code.INVALID)
        elif chinese and not _has_han(word):
            problems.add(field, f"{word!r} has no Chinese character: list it in English.")
        elif not chinese and _has_han(word):
            problems.add(field, f"{word!r} has Chinese characters: list it in Chinese.")
        elif not chinese and not re.search(r"\w", word):
            problems.add(field, f"{word!r} has no letter or digit.")
        else:
            out.append(word)
    if len(out) > MAX_KEYWORDS:
        problems.add(field, f"At most {MAX_KEYWORDS} keywords.", Code.TOO_MANY)
    return out


def _category_ids(codes, problems) -> list:
    from apps.reputation.errors import ReputationErrorCode as Code
    from apps.risks.selectors import category_ids

    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        problems.add("risk_categories", "A list of risk category codes.")
        return []
    found = category_ids(sorted(set(codes)))
    unknown = sorted(set(codes) - set(found))
    if unknown:
        problems.add("risk_categories", f"No risk category {', '.join(unknown)}.", Code.NOT_FOUND)
    return list(found.values())


def _apply(topic: Topic, changes: dict, problems) -> list | None:
    """Checked values onto the topic; the risk category ids when they were sent."""
    if "name" in changes:
        topic.name = " ".join((changes["name"] or "").split())
        if not topic.name:
            problems.add("name", "A topic needs a name.")
    for field, chinese in (("keywords_zh", True), ("keywords_en", False)):
        if field in changes:
            setattr(topic, field, _keywords(changes[field], field, problems, chinese=chinese))
    if "active" in changes:
        topic.active = bool(changes["active"])
    if not (topic.keywords_zh or topic.keywords_en) and not problems.errors:
        problems.add("keywords_zh", "At least one keyword, in Chinese or in English.")
    if "risk_categories" in changes:
        return _category_ids(changes["risk_categories"], problems)
    return None


@transaction.atomic
def topic_create(*, code: str, actor=None, **fields) -> Topic:
    """A topic; its existing mentions are tagged by a job (new ones by the scoring job)."""
    from django.utils.text import slugify

    from apps.reputation.errors import ReputationErrorCode as Code
    from apps.reputation.services.common import Problems, full_clean

    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"topic_create() got unexpected fields {sorted(unknown)}")
    problems = Problems()
    code = slugify((code or "").strip()).replace("-", "_")
    if not code:
        problems.add("code", "A topic needs a code (letters, digits, _).")
    elif len(code) > 60:
        problems.add("code", "At most 60 characters.")
    elif Topic.objects.filter(code=code).exists():
        problems.add("code", "This topic code is taken.", Code.CODE_TAKEN)
    topic = Topic(code=code, name="")
    category_ids = _apply(topic, {"name": "", **fields}, problems)
    full_clean(topic, problems, exclude=["code", "keywords_zh", "keywords_en"])
    problems.raise_any()
    topic.save()
    if category_ids is not None:
        topic.risk_categories.set(category_ids)
    rematch_enqueue(topic_id=topic.pk, created_by=actor)
    return topic


@transaction.atomic
def topic_update(*, topic_id, actor=None, **changes) -> Topic:
    """Change the fields given; new keywords (or activity) re-tag the topic's mentions (a job)."""
    from apps.reputation.services.common import Problems, full_clean, get_for_update

    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"topic_update() got unexpected fields {sorted(unknown)}")
    topic = get_for_update(Topic, topic_id)
    before = (list(topic.keywords_zh), list(topic.keywords_en), topic.active)
    problems = Problems()
    category_ids = _apply(topic, changes, problems)
    full_clean(topic, problems, exclude=["code", "keywords_zh", "keywords_en"])
    problems.raise_any()
    topic.save()
    if category_ids is not None:
        topic.risk_categories.set(category_ids)
    if (topic.keywords_zh, topic.keywords_en, topic.active) != before:
        rematch_enqueue(topic_id=topic.pk, created_by=actor)
    return topic
