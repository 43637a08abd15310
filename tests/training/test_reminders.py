"""Reminders at the settings' offsets before due dates and certificate expiry, on overdue, and
a weekly digest to managers: each notice once, even when the tick runs twice."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.notifications.models import Notification, WebhookDelivery
from apps.notifications.services import webhook_create
from apps.people.services.people import person_update
from apps.training.models import ReminderLog
from apps.training.services.records import record_create
from apps.training.services.reminders import reminders_if_due, send_reminders
from apps.training.services.requirements import requirement_create
from apps.training.services.settings import settings_update

DAY = timedelta(days=1)


def _at(days: int) -> datetime:
    """09:00 local time, `days` from today."""
    day = timezone.localdate() + days * DAY
    return timezone.make_aware(datetime.combine(day, time(9)))


def _mails() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("event", "recipient__email"))


def _hooked() -> list[str]:
    return sorted(WebhookDelivery.objects.values_list("event", flat=True))


@pytest.fixture
def setup(in_a, org, course):
    """Everyone under HQ must take AML within 30 days (grace 5). Ana has a member account
    (analyst) and manages Cy; Bo completed it today (certificate for 12 months)."""
    webhook_create(name="hr", url="https://hr.example.com/hook", event_types=[])
    person_update(person_id=org["ana"].pk, user_id=in_a.user("a", "analyst").pk)
    person_update(person_id=org["cy"].pk, manager_id=org["ana"].pk)
    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=30)
    record = record_create(
        person_id=org["bo"].pk, course_id=course.pk, completed_at=timezone.now(), score=90
    )
    return record


def test_thirty_and_seven_days_before_then_overdue_each_once(setup, org):
    assert send_reminders(now=_at(0)) == {"reminders": 2, "digests": 0}  # Ana and Cy, 30 days
    assert _mails() == [("training.due_soon", "analyst@a.test")]  # Cy has no account
    assert _hooked() == ["training.due_soon", "training.due_soon"]
    assert send_reminders(now=_at(0))["reminders"] == 0  # the same day again
    assert send_reminders(now=_at(10))["reminders"] == 0  # between the offsets
    assert send_reminders(now=_at(23))["reminders"] == 2  # 7 days left
    assert send_reminders(now=_at(35))["reminders"] == 0  # due, within grace: no new notice
    assert send_reminders(now=_at(36)) == {"reminders": 2, "digests": 1}  # overdue; Ana: Cy
    assert send_reminders(now=_at(37)) == {"reminders": 0, "digests": 0}
    assert _mails() == [
        ("training.due_soon", "analyst@a.test"),
        ("training.due_soon", "analyst@a.test"),
        ("training.manager_digest", "analyst@a.test"),
        ("training.overdue", "analyst@a.test"),
    ]
    digest = Notification.objects.get(event="training.manager_digest")
    assert "Person E3 (E3)" in digest.body and "Person E1" not in digest.body
    assert ReminderLog.objects.filter(person=org["cy"]).count() == 3  # 30, 7, overdue


def test_a_missed_offset_is_logged_with_the_nearest_one_not_sent_again(setup, org):
    assert send_reminders(now=_at(25))["reminders"] == 2  # first run 5 days before: offset 7
    offsets = sorted(ReminderLog.objects.filter(person=org["ana"]).values_list("offset_days"))
    assert offsets == [(7,), (30,)]
    assert send_reminders(now=_at(26))["reminders"] == 0


def test_a_certificate_expiring_is_announced_at_thirty_days(setup, org):
    expires = setup.expires_on
    days = (expires - timezone.localdate()).days - 30
    send_reminders(now=_at(days))
    bo = ReminderLog.objects.get(person=org["bo"])
    assert (bo.kind, bo.about_on, bo.offset_days) == ("certificate_expiring", expires, 30)


def test_the_weekly_digest_waits_for_next_week(setup, org):
    send_reminders(now=_at(36))
    start = timezone.localdate() + 36 * DAY
    next_monday = 7 - start.weekday()
    assert send_reminders(now=_at(36 + next_monday - 1))["digests"] == 0  # same week
    assert send_reminders(now=_at(36 + next_monday))["digests"] == 1  # still overdue


def test_the_tick_sends_once_a_day(setup):
    from apps.core.modules import EVENTS, tick_handlers

    assert "training.reminders" in tick_handlers()
    assert {
        "training.due_soon",
        "training.certificate_expiring",
        "training.overdue",
        "training.manager_digest",
    } <= set(EVENTS)
    assert reminders_if_due(now=_at(0)) == {"sent": True, "reminders": 2, "digests": 0}
    assert reminders_if_due(now=_at(0)) == {"sent": False}
    assert len(_mails()) == 1


def test_offsets_are_a_setting(setup, org):
    settings_update(reminder_days=[14])
    assert send_reminders(now=_at(0))["reminders"] == 0  # 30 days left, nothing at 30
    assert send_reminders(now=_at(16))["reminders"] == 2
    with pytest.raises(ValidationError) as refused:
        settings_update(reminder_days=[0, 400])
    assert list(refused.value.error_dict) == ["reminder_days"]
