"""The names of the events modules publish to webhooks, with what each one means.

A webhook subscribes to names from this registry (or to all of them, with an empty list), so a
typo in a subscription is refused instead of silently never firing. A module that publishes a
new event adds its name here, in the same change.
"""

# Not subscribable: sent on demand to one webhook by `webhookTest`, whatever it subscribes to.
PING = "ping"

EVENT_TYPES: dict[str, str] = {
    "risks.review_overdue": "A risk's periodic review is past due.",
    "risks.acceptance_expired": "A risk acceptance expired; the risk is open again.",
    "risks.residual_proposed": "Control changes justify a new residual rating for a risk.",
    "warnings.signal_raised": "An early-warning rule raised a signal.",
    "warnings.signal_escalated": "An early-warning signal was escalated.",
    "warnings.signal_resolved": "An early-warning signal was resolved.",
}


def is_known(event: str) -> bool:
    return event in EVENT_TYPES
