"""A scan checkpoints each committed chunk; resumed from a checkpoint, it skips what is done and
its totals cover the whole scan (what a job's next attempt after a lost worker does)."""

from django.utils import timezone

from apps.early_warning.services.scans import scan
from tests.early_warning.conftest import feed


def test_a_resumed_scan_counts_the_whole_scan(make_indicator, settings):
    settings.FENGKONG_SCAN_CHUNK = 2
    settings.FENGKONG_SCAN_PAUSE_SECONDS = 0
    from apps.early_warning.services import indicators

    ids = []
    for n in range(5):
        indicator = make_indicator(code=f"resume_{n}")
        indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        feed(f"resume_{n}", [1.0, 6.0])  # the latest value is above red (5): one signal each
        ids.append(indicator.pk)
    states: list[dict] = []
    whole = scan(indicator_ids=ids, now=timezone.now(), checkpoint=states.append)
    assert whole == {"indicators": 5, "raised": 5, "updated": 0, "resolved": 0, "escalated": 0}
    assert [s["done"] for s in states] == [2, 4, 5]
    assert [s["totals"]["raised"] for s in states] == [2, 4, 5]
    assert states[0]["after"] == str(sorted(ids)[1])


def test_resuming_after_the_first_chunk_scans_only_the_rest(make_indicator, settings):
    settings.FENGKONG_SCAN_CHUNK = 2
    from apps.early_warning.services import indicators

    ids = []
    for n in range(5):
        indicator = make_indicator(code=f"resume_{n}")
        indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        feed(f"resume_{n}", [1.0, 6.0])
        ids.append(indicator.pk)
    first_two = sorted(ids)[:2]
    states: list[dict] = []
    scan(indicator_ids=first_two, now=timezone.now(), checkpoint=states.append)  # "attempt 1"
    resumed = scan(indicator_ids=ids, now=timezone.now(), resume=states[-1])
    assert resumed == {"indicators": 5, "raised": 5, "updated": 0, "resolved": 0, "escalated": 0}
