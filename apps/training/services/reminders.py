"""The daily reminders: before a due date or a certificate's expiry (at each offset of the
settings, default 30 and 7 days), on overdue, and a weekly digest to each manager listing their
reports' overdue trainings. Each notice once: a ReminderLog row per key (unique constraints),
and the notification service's own dedup keys behind it.

People linked to a member account get an e-mail (notify); every notice is also an event for
webhooks (publish), carrying the directory's e-mail address, so the tenant's platform can reach
staff who never log in."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.selectors import members_here
from apps.notifications.services import notify, publish_many
from apps.training.models import ReminderKind, ReminderLog, TrainingSettings
from apps.training.selectors import training_settings
from apps.training.selectors.reminders import (
    Candidate,
    managers,
    owned_departments,
    reminder_candidates,
)

EVENT = {
    ReminderKind.DUE_SOON: "training.due_soon",
    ReminderKind.CERTIFICATE_EXPIRING: "training.certificate_expiring",
    ReminderKind.OVERDUE: "training.overdue",
    ReminderKind.MANAGER_DIGEST: "training.manager_digest",
    ReminderKind.OWNER_DIGEST: "training.owner_digest",
}
DIGESTS = {  # kind: (subject, first line, the payload's key for the recipient)
    ReminderKind.MANAGER_DIGEST: (
        "Overdue trainings of your reports",
        "These trainings of your reports are overdue:",
        "manager",
    ),
    ReminderKind.OWNER_DIGEST: (
        "Overdue trainings in the departments you own",
        "These trainings in the departments whose training you own are overdue:",
        "owner",
    ),
}


def _payload(c: Candidate, kind: ReminderKind, offset: int, today: date) -> dict:
    return {
        "kind": kind,
        "person": {
            "id": str(c.person_id),
            "employeeNumber": c.employee_number,
            "name": c.full_name,
            "email": c.email,
        },
        "course": {"id": str(c.course_id), "code": c.course_code, "title": c.course_title},
        "dueOn": c.due_on.isoformat() if c.due_on else None,
        "daysLeft": (c.due_on - today).days if c.due_on else None,
        "offsetDays": offset,
    }


def _text(c: Candidate, kind: ReminderKind, today: date) -> tuple[str, str]:
    course = f"{c.course_title} ({c.course_code})"
    if kind == ReminderKind.OVERDUE:
        return f"Training overdue: {course}", f"{course} was due on {c.due_on}. Please take it."
    assert c.due_on is not None  # send_reminders skips undated obligations
    days = (c.due_on - today).days
    if kind == ReminderKind.CERTIFICATE_EXPIRING:
        return (
            f"Certificate expiring: {course}",
            f"Your certificate for {course} expires on {c.due_on} (in {days} days).",
        )
    return f"Training due: {course}", f"{course} is due on {c.due_on} (in {days} days)."


def _due(c: Candidate, offsets: list[int], today: date) -> tuple[ReminderKind, list[int]]:
    """(kind, the offsets this obligation has crossed): every offset ≥ the days left."""
    if c.late:
        return ReminderKind.OVERDUE, [0]
    assert c.due_on is not None  # send_reminders skips undated obligations
    days_left = (c.due_on - today).days
    kind = ReminderKind.CERTIFICATE_EXPIRING if c.expires_on == c.due_on else ReminderKind.DUE_SOON
    return kind, [o for o in offsets if days_left <= o]


def send_reminders(*, now: datetime) -> dict:
    """Today's notices, each once. A tick that missed days sends one notice for the nearest
    offset crossed and logs the earlier ones with it (never three reminders on one morning)."""
    today = timezone.localdate(now)
    offsets = sorted(set(training_settings().reminder_days))
    candidates = reminder_candidates(as_of=today, horizon_days=max(offsets, default=0))
    logged = set(
        ReminderLog.objects.filter(
            course__isnull=False, about_on__in={c.due_on for c in candidates if c.due_on}
        ).values_list("person_id", "course_id", "kind", "about_on", "offset_days")
    )
    users = members_here({c.user_id for c in candidates if c.user_id})
    new_logs, events = [], defaultdict(list)
    for c in candidates:
        if c.due_on is None:
            continue
        kind, crossed = _due(c, offsets, today)
        fresh = [o for o in crossed if (c.person_id, c.course_id, kind, c.due_on, o) not in logged]
        if not fresh:
            continue
        new_logs += [
            ReminderLog(
                person_id=c.person_id,
                course_id=c.course_id,
                kind=kind,
                about_on=c.due_on,
                offset_days=o,
                sent_at=now,
            )
            for o in fresh
        ]
        if min(crossed) not in fresh:
            continue  # the nearest offset was sent already; the others are only logged
        key = f"{EVENT[kind]}:{c.person_id}:{c.course_id}:{c.due_on}:{min(crossed)}"
        subject, body = _text(c, kind, today)
        notify(
            recipients=[users.get(c.user_id)],
            event=EVENT[kind],
            subject=subject,
            body=body,
            dedup_key=key,
        )
        events[EVENT[kind]].append((_payload(c, kind, min(crossed), today), key))
    ReminderLog.objects.bulk_create(new_logs, ignore_conflicts=True)
    late = [c for c in candidates if c.late]
    digests = _manager_digests(late, today=today, now=now) + _owner_digests(late, today, now)
    for event, items in events.items():
        publish_many(event=event, items=items)
    return {"reminders": sum(len(items) for items in events.values()), "digests": digests}


def _manager_digests(late: list[Candidate], *, today: date, now: datetime) -> int:
    """One digest a week to each manager with a report overdue, listing them all."""
    by_manager = defaultdict(list)
    for c in late:
        if c.manager_id is not None:
            by_manager[c.manager_id].append(c)
    return _digests(ReminderKind.MANAGER_DIGEST, by_manager, today=today, now=now)


def _owner_digests(late: list[Candidate], today: date, now: datetime) -> int:
    """One digest a week to each department's training owner with something overdue there
    (sub-departments included), listing it all."""
    if not late:
        return 0
    by_owner = defaultdict(list)
    for owner_id, departments in owned_departments().items():
        rows = [c for c in late if c.department_id in departments]
        if rows:
            by_owner[owner_id] = rows
    return _digests(ReminderKind.OWNER_DIGEST, by_owner, today=today, now=now)


def _digests(kind: ReminderKind, groups: dict, *, today: date, now: datetime) -> int:
    """Send each recipient's weekly digest of `kind` once (keyed by recipient and Monday)."""
    monday = today - timedelta(days=today.weekday())
    subject, intro, role = DIGESTS[kind]
    done = set(
        ReminderLog.objects.filter(course__isnull=True, kind=kind, about_on=monday).values_list(
            "person_id", flat=True
        )
    )
    todo = {pk: rows for pk, rows in groups.items() if pk not in done}
    if not todo:
        return 0
    contacts = managers(todo)
    users = members_here({user_id for _, _, user_id in contacts.values() if user_id})
    items = []
    for manager_id, rows in todo.items():
        name, email, user_id = contacts[manager_id]
        lines = [
            f"- {c.full_name} ({c.employee_number}): {c.course_title}, due {c.due_on}" for c in rows
        ]
        key = f"{EVENT[kind]}:{manager_id}:{monday}"
        notify(
            recipients=[users.get(user_id)],
            event=EVENT[kind],
            subject=f"{subject} ({len(rows)})",
            body=intro + "\n" + "\n".join(lines),
            dedup_key=key,
        )
        items.append(
            (
                {
                    role: {"id": str(manager_id), "name": name, "email": email},
                    "weekOf": monday.isoformat(),
                    "overdue": [_payload(c, ReminderKind.OVERDUE, 0, today) for c in rows],
                },
                key,
            )
        )
    ReminderLog.objects.bulk_create(
        [ReminderLog(person_id=pk, kind=kind, about_on=monday, sent_at=now) for pk in todo],
        ignore_conflicts=True,
    )
    publish_many(event=EVENT[kind], items=items)
    return len(todo)


def reminders_if_due(*, now: datetime | None = None) -> dict:
    """Tick handler: today's reminders unless sent already (one UPDATE decides)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    settings = training_settings()
    with transaction.atomic():
        claimed = (
            TrainingSettings.objects.filter(pk=settings.pk)
            .filter(Q(reminders_run_on__isnull=True) | Q(reminders_run_on__lt=today))
            .update(reminders_run_on=today)
        )
        if not claimed:
            return {"sent": False}
        return {"sent": True, **send_reminders(now=now)}
