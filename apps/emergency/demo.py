"""A sample plan for the demo tenant (`manage.py demo_setup`): an approved reputation-crisis
plan, its organisation from the demo directory (apps/people/demo.py), whose trigger is the
reputation module's negative-mention share (red → level II), so a red signal of it lists the
plan in `warningSignals { suggestedPlans }`. Through the services; idempotent (nothing is added
once plan reputation_crisis exists). The plan is written by no one (the demo) and approved by
the demo admin, so approval's four eyes hold."""

from apps.early_warning.selectors import indicators
from apps.emergency.models import Plan, Scenario, SeverityLevel
from apps.emergency.services.plans import plan_create, version_transition, version_update
from apps.people.selectors import person_ids_by_number
from apps.reputation.services.index import NEGATIVE_SHARE, ensure_indicators

CODE = "reputation_crisis"
# role → (holder, backup): the CRO commands, operations (customer service) speaks.
ROLES = {
    "commander": ("D0001", "D0002"),
    "communications_lead": ("D0005", None),
    "coordinator": ("D0002", None),
}
STEPS = [  # (phase, action, role, minutes from activation)
    ("warning", "Confirm the reports and their reach", "communications_lead", 30),
    ("response", "Agree the public statement", "commander", 120),
    ("response", "Publish the statement and answer the press", "communications_lead", 240),
    ("crisis", "Follow up on the complaints", "coordinator", 1440),
    ("post_event", "Evaluate the response", "coordinator", 10080),
]


def demo(*, admin) -> int:
    if Plan.objects.filter(code=CODE).exists():
        return 0
    people = person_ids_by_number([n for pair in ROLES.values() for n in pair if n])
    if len(people) < 3:
        return 0  # the directory is not the demo's: no one to fill the roles
    ensure_indicators()  # the reputation module's indicators (made on first use)
    watched = indicators().filter(code=NEGATIVE_SHARE).values_list("pk", flat=True).first()
    plan = plan_create(
        code=CODE,
        name="声誉危机应急预案 Reputation crisis",
        scenario_id=Scenario.objects.get(code="reputation_crisis").pk,
        owner_id=admin.pk,
    )
    draft = plan.versions.get()
    version_update(
        version_id=draft.pk,
        objectives="Protect customers' trust and the brand; answer the regulator and the press.",
        success_criteria=["A public statement within 4 hours"],
        roles=[
            {"role": role, "person_id": people[holder], "backup_id": people.get(backup or "")}
            for role, (holder, backup) in ROLES.items()
        ],
        steps=[
            {
                "phase": phase,
                "action": action,
                "responsible_role": role,
                "time_target_minutes": minutes,
                "depends_on": [],
            }
            for phase, action, role, minutes in STEPS
        ],  # fmt: skip
        triggers=[
            {
                "kind": "indicator",
                "indicator_id": watched,
                "severity": "red",
                "level_id": SeverityLevel.objects.get(code="II").pk,
                "description": "Negative share of mentions red (over 50 %).",
            }
        ],
    )
    version_transition(version_id=draft.pk, to="in_review")
    version_transition(version_id=draft.pk, to="approved", actor=admin, actor_role="admin")
    return 1 + len(ROLES) + len(STEPS) + 1  # plan, roles, steps, trigger
