"""Emergency plans and activations in the bench tenant, seeded in bulk, kept between runs.

N_PLANS plans with 5 versions each (4 retired, the newest approved), 20 steps and 2 roles per
version; N_ACTIVATIONS activations of the approved versions, each with its 20 tasks (a few
done), its 2 role terms and 40 timeline events. `BENCH_EMERGENCY_ACTIVATIONS` scales the
activations down (the issue's figure is 5,000; seeding takes ~1 s per 100 on this machine).

Written with bulk_create (the services would take many minutes), as the rows the services leave
behind: tasks due at declaration + the step's target, one commander term open per activation.
Every seeded plan's code starts with PREFIX; seeding is skipped when exactly that many plans
and activations exist, and redone (after deleting them) otherwise. One transaction.
"""

import os
import random
import time
from dataclasses import dataclass
from datetime import timedelta

N_PLANS = 200
VERSIONS, STEPS, EVENTS = 5, 20, 40
N_ACTIVATIONS = int(os.environ.get("BENCH_EMERGENCY_ACTIVATIONS", "5000"))
PREFIX = "bench_em_"
SEED = 20261201


@dataclass(frozen=True)
class Seeded:
    created: bool
    plans: int
    activations: int
    seconds: float

    def summary(self) -> str:
        made = f"seeded in {self.seconds:.0f} s" if self.created else "kept from an earlier run"
        return (
            f"{self.plans} plans x {VERSIONS} versions x {STEPS} steps, {self.activations} "
            f"activations x {STEPS} tasks x {EVENTS} timeline events ({made})"
        )


def ensure(tenant) -> Seeded:
    from django.db import transaction
    from django_tenants.utils import schema_context

    from apps.emergency.models import Activation, Plan

    with schema_context(tenant.schema_name):
        plans = Plan.objects.filter(code__startswith=PREFIX).count()
        activations = Activation.objects.filter(plan__code__startswith=PREFIX).count()
        if (plans, activations) == (N_PLANS, N_ACTIVATIONS):
            return Seeded(False, plans, activations, 0.0)
        start = time.monotonic()
        with transaction.atomic():
            _clear()
            _seed()
        return Seeded(True, N_PLANS, N_ACTIVATIONS, time.monotonic() - start)


def _clear() -> None:
    from apps.emergency import models as m
    from apps.people.models import Person

    seeded = {"plan__code__startswith": PREFIX}
    m.TimelineEvent.objects.filter(**{f"activation__{k}": v for k, v in seeded.items()}).delete()
    m.Activation.objects.filter(**seeded).delete()
    m.Plan.objects.filter(code__startswith=PREFIX).delete()
    Person.objects.filter(employee_number__startswith="BEM").delete()


def _seed() -> None:
    from django.utils import timezone

    from apps.emergency import models as m
    from apps.people.models import Person

    rng = random.Random(SEED)
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(employee_number=f"BEM{n:03}", full_name=f"Responder {n:03}") for n in range(60)
    )
    scenario = m.Scenario.objects.get(code="liquidity_run")
    levels = list(m.SeverityLevel.objects.order_by("rank"))
    plans = m.Plan.objects.bulk_create(
        m.Plan(code=f"{PREFIX}{n:03}", name=f"Bench plan {n:03}", scenario=scenario)
        for n in range(N_PLANS)
    )
    versions = m.PlanVersion.objects.bulk_create(
        m.PlanVersion(
            plan=plan,
            number=v,
            status="approved" if v == VERSIONS else "retired",
            approved_at=now - timedelta(days=30 * (VERSIONS - v)),
        )
        for plan in plans
        for v in range(1, VERSIONS + 1)
    )
    approved = {v.plan_id: v for v in versions if v.status == "approved"}
    commander_of = {}
    roles, steps = [], []
    for version in versions:
        commander, deputy = rng.sample(people, 2)
        commander_of[version.pk] = (commander, deputy)
        roles += [
            m.PlanRole(version=version, role="commander", person=commander),
            m.PlanRole(version=version, role="deputy", person=deputy),
        ]
        steps += [
            m.PlanStep(
                version=version,
                position=p,
                phase="response",
                action=f"Step {p}",
                responsible_role="commander" if p % 2 else "deputy",
                time_target_minutes=15 * p,
                depends_on=[p - 1] if p > 1 else [],
            )
            for p in range(1, STEPS + 1)
        ]
    m.PlanRole.objects.bulk_create(roles, batch_size=5000)
    m.PlanStep.objects.bulk_create(steps, batch_size=5000)

    for chunk_start in range(0, N_ACTIVATIONS, 500):
        batch = []
        for n in range(chunk_start, min(chunk_start + 500, N_ACTIVATIONS)):
            plan = plans[n % N_PLANS]
            declared = now - timedelta(hours=n)
            batch.append(
                m.Activation(
                    plan=plan,
                    version=approved[plan.pk],
                    title=f"Incident {n:05}",
                    status="closed" if n % 3 == 0 else "active",
                    source="manual",
                    level=levels[n % len(levels)],
                    detected_at=declared,
                    declared_at=declared,
                )
            )
        activations = m.Activation.objects.bulk_create(batch)
        tasks, terms, events = [], [], []
        for activation in activations:
            commander, deputy = commander_of[activation.version_id]
            terms += [
                m.ActivationRole(
                    activation=activation,
                    role="commander",
                    person=commander,
                    started_at=activation.declared_at,
                ),
                m.ActivationRole(
                    activation=activation,
                    role="deputy",
                    person=deputy,
                    started_at=activation.declared_at,
                ),
            ]
            tasks += [
                m.ActivationTask(
                    activation=activation,
                    position=p,
                    phase="response",
                    action=f"Step {p}",
                    responsible_role="commander" if p % 2 else "deputy",
                    assignee=commander if p % 2 else deputy,
                    due_at=activation.declared_at + timedelta(minutes=15 * p),
                    status="done" if p <= rng.randrange(STEPS + 1) else "pending",
                )
                for p in range(1, STEPS + 1)
            ]
            events += [
                m.TimelineEvent(
                    activation=activation,
                    kind="note",
                    at=activation.declared_at + timedelta(minutes=e),
                    text=f"Update {e}",
                )
                for e in range(EVENTS)
            ]
        m.ActivationRole.objects.bulk_create(terms, batch_size=5000)
        m.ActivationTask.objects.bulk_create(tasks, batch_size=5000)
        m.TimelineEvent.objects.bulk_create(events, batch_size=5000)
