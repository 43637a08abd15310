"""What the emergency services share: refusals, row locks, the timeline, months, people."""

from typing import TypeVar

from django.db.models import Model

from apps.core import live
from apps.core.errors import refuse
from apps.emergency.dates import add_months  # noqa: F401 - the services' one import
from apps.emergency.errors import EmergencyErrorCode as Code
from apps.emergency.models import Activation, TimelineEvent
from apps.people.selectors import people


def invalid(field: str | None, message: str, code: Code = Code.INVALID):
    return refuse(field, message, code)


M = TypeVar("M", bound=Model)
# The live topic of timeline events (apps.core.live): {"id": event, "activation": its activation}.
TIMELINE_TOPIC = "emergency.timeline"


def get_for_update(model: type[M], pk, *, field: str = "id", related: tuple = ()) -> M:
    """Lock the row (joining `related`, unlocked) and return it, or refuse with NOT_FOUND."""
    rows = model._default_manager.select_for_update(of=("self",)).select_related(*related)
    obj = rows.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise invalid(field, f"No such {model._meta.verbose_name}.", Code.NOT_FOUND)
    return obj


def active_people(ids, *, field: str) -> dict:
    """pk → Person of the directory for `ids` (None skipped); refuses unknown or inactive ones."""
    wanted = {str(pk) for pk in ids if pk is not None}
    found = {str(p.pk): p for p in people().filter(pk__in=wanted, active=True)} if wanted else {}
    if set(found) != wanted:
        raise invalid(field, "No such active person in the directory.", Code.NOT_FOUND)
    return found


def holder(person_id=None, member_id=None, *, field: str, required: bool = True):
    """(person, member) for a holder named by a directory Person's id or a member's User id
    (exactly one; neither when not `required`). A member who has an active directory entry is
    held as that person: one identity per human, so "already holds it" and the notices see
    the same holder whichever id a client sent."""
    from apps.accounts.selectors import members_here

    if person_id is not None and member_id is not None:
        raise invalid(field, "Name a person or a member, not both.")
    if person_id is None and member_id is None:
        if required:
            raise invalid(field, "Name who holds it: a person of the directory or a member.")
        return None, None
    if person_id is not None:
        return active_people([person_id], field=field)[str(person_id)], None
    user = next(iter(members_here([member_id]).values()), None)
    if user is None or not user.is_active:
        raise invalid(field, "Not a member of this tenant.", Code.NOT_A_MEMBER)
    linked = people().filter(user_id=user.pk, active=True).first()
    return (linked, None) if linked is not None else (None, user)


def record(activation: Activation, kind: str, *, at, actor=None, text: str = "", **links):
    """Append one typed event to the timeline (the only way events are written), and tell the
    live subscribers of the activation's timeline once committed."""
    event = TimelineEvent.objects.create(
        activation=activation,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        text=text[:1000],
        **links,
    )
    live.publish(TIMELINE_TOPIC, {"id": str(event.pk), "activation": str(activation.pk)})
    return event


def open_activation(activation_id, *, field: str = "activation_id") -> Activation:
    activation = get_for_update(Activation, activation_id, field=field)
    if activation.status == "closed":
        raise invalid(field, "The activation is closed.", Code.INVALID_TRANSITION)
    return activation
