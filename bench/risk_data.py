"""A large risk register in the bench tenant, seeded in bulk, kept between runs.

10,000 risks, each with an inherent and a residual assessment, linked to ~3 of 2,000 controls
(about one risk in ten to 6-8 of them), with 1-2 treatment actions, owned by a few members.

Going through the services (risk_create, assessment_record, control_save, action_create) would
take many minutes for this many rows, so the rows are written with `bulk_create`, and made to be
exactly the rows those services leave behind:

- Risk: the copied ratings (inherent_* and residual_* from the latest assessment of each kind,
  rated on the active matrix), `current_level` (residual, else inherent), `above_appetite` (the
  nearest appetite on the category path, as refresh_flags), `next_review_at` (schedule_first_review
  at creation, then bring_review_forward after each assessment, "today" being the creation day),
  tags normalised (sorted, lower case), statuses a new risk may reach without an acceptance.
- RiskAssessment: matrix = the active matrix, score/level from `matrix.rate`, assessor a member.
- Control: `effectiveness_changed_at` set when the effectiveness is not the default.
- the Control.risks through rows, TreatmentAction rows (`completed_at` only when done).

Timestamps are spread over the last two years (created_at, assessed_at...) as a register built
over time would have them. Not produced: the audit log entries the services' saves would add
(no benchmark reads them here).

Every seeded risk carries the tag MARK; seeding is skipped when exactly N_RISKS of them exist,
and redone (after deleting them and the seeded controls) when their number is anything else.
Everything is one transaction: an interrupted seeding leaves nothing behind.
"""

import contextlib
import random
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

N_RISKS = 10_000
N_CONTROLS = 2_000
MARK = "bench-risk-list"  # tag of every seeded risk
CONTROL_PREFIX = "BRL "  # name prefix of every seeded control
OWNER_EMAILS = [f"owner{n}@bench.localhost" for n in range(1, 5)]
SEED = 20240611

_TEXT = (
    "borrower income verification collateral valuation loan pricing repayment schedule "
    "credit scoring model drift identity theft synthetic applicant account takeover "
    "interest rate liquidity buffer funding concentration payment channel outage "
    "data centre failover vendor onboarding outsourcing contract privacy consent "
    "regulatory reporting anti money laundering sanctions screening complaint handling "
    "brand perception market entry product launch key person dependency phishing "
    "ransomware patching backlog access review segregation duties reconciliation"
)
WORDS = _TEXT.split()
CONTROL_VERBS = (
    "Review", "Reconcile", "Approve", "Monitor", "Test", "Validate", "Screen", "Audit",
    "Escalate", "Encrypt", "Back up", "Restrict", "Log", "Sample", "Benchmark", "Verify",
)  # fmt: skip


@dataclass(frozen=True)
class Seeded:
    risks: int
    controls: int
    links: int
    assessments: int
    actions: int
    created: bool  # False when kept from an earlier run
    seconds: float

    def summary(self) -> str:
        how = f"seeded in {self.seconds:.1f} s" if self.created else "kept from an earlier run"
        return (
            f"{self.risks} risks, {self.assessments} assessments, {self.controls} controls, "
            f"{self.links} risk-control links, {self.actions} actions ({how})"
        )


def ensure_register(tenant) -> Seeded:
    """The register above in `tenant` (a harness.BenchTenant), seeded unless already there."""
    from django_tenants.utils import schema_context

    from apps.risks.models import (
        Control,
        Risk,
        RiskAssessment,
        RiskCategory,
        RiskMatrix,
        TreatmentAction,
    )

    started = time.monotonic()
    # Console e-mail (invitations of new owners) must not reach stdout, which ends with the JSON.
    with contextlib.redirect_stdout(sys.stderr):
        user_ids = [tenant.admin.pk, *_owners(tenant.tenant)]
    with schema_context(tenant.schema_name):
        owner_ids = _people(user_ids)
        # The taxonomy and the active matrix come with the tenant (provisioning, migrations).
        ready = RiskMatrix.objects.filter(is_active=True).exists() and RiskCategory.objects.exists()
        if not ready:
            raise RuntimeError(
                "the bench tenant has no risk taxonomy or active matrix: run once with --fresh"
            )
        ours = Risk.objects.filter(tags__contains=[MARK])
        created = ours.count() != N_RISKS
        if created:
            _seed(owner_ids, user_ids)
        seeded = Seeded(
            risks=ours.count(),
            controls=Control.objects.filter(name__startswith=CONTROL_PREFIX).count(),
            links=Control.risks.through.objects.filter(risk__tags__contains=[MARK]).count(),
            assessments=RiskAssessment.objects.filter(risk__tags__contains=[MARK]).count(),
            actions=TreatmentAction.objects.filter(risk__tags__contains=[MARK]).count(),
            created=created,
            seconds=time.monotonic() - started,
        )
    return seeded


def _owners(tenant) -> list:
    """A few members (analysts) who own risks, controls and actions; made once."""
    from apps.accounts import services as accounts
    from apps.accounts.models import Membership

    ids = []
    for email in OWNER_EMAILS:
        membership = Membership.objects.filter(tenant=tenant, user__email=email).first()
        if membership is None:
            invited = accounts.member_invite(tenant=tenant, email=email, role="analyst")
            membership = invited.membership
        ids.append(membership.user_id)
    return ids


def _people(user_ids: list) -> list:
    """The directory's people owning risks, controls and actions (owners are people, most
    of whom never log in): one per bench member, linked to the account; made once."""
    from apps.accounts.models import User
    from apps.people.models import Person
    from apps.people.services.people import person_create

    ids = []
    for n, user in enumerate(User.objects.filter(pk__in=user_ids).order_by("email"), start=1):
        person = Person.objects.filter(user_id=user.pk).first() or person_create(
            employee_number=f"BENCH-{n:03d}",
            full_name=user.email,
            email=user.email,
            user_id=user.pk,
        )
        ids.append(person.pk)
    return ids


@contextlib.contextmanager
def _no_delete_signals():
    """Django deletes in bulk only when no one listens to deletions, and the audit log does.

    Only for throwing away an earlier seeding (no audit rows were written for it either): ~50 s
    with the receivers, a few seconds without. The cascades themselves are Django's as usual.
    """
    from django.db.models import signals

    saved = [
        (s, s.receivers) for s in (signals.pre_delete, signals.post_delete, signals.m2m_changed)
    ]
    for signal, _ in saved:
        signal.receivers = []
        signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


@contextlib.contextmanager
def _explicit_timestamps(*models):
    """Let bulk_create write the given created_at/updated_at instead of now()."""
    fields = [
        (f, f.auto_now, f.auto_now_add)
        for model in models
        for f in (model._meta.get_field("created_at"), model._meta.get_field("updated_at"))
    ]
    for f, _, _ in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in fields:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _seed(owner_ids: list, user_ids: list) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.risks import matrix as matrix_math
    from apps.risks.levels import RiskLevel
    from apps.risks.models import (
        ActionStatus,
        AssessmentKind,
        AssessmentMethod,
        Control,
        ControlEffectiveness,
        ControlKind,
        ControlType,
        Risk,
        RiskAssessment,
        RiskCategory,
        RiskSource,
        RiskStatus,
        TreatmentAction,
        TreatmentStrategy,
    )
    from apps.risks.selectors import active_matrix, appetite_for, register_settings

    rng = random.Random(SEED)
    now = timezone.now()
    span = timedelta(days=730)
    matrix = active_matrix()
    cadence = {k: int(v) for k, v in register_settings().review_cadence_days.items()}
    categories = list(RiskCategory.objects.all())
    appetite = {c.pk: appetite_for(c) for c in categories}
    rank = RiskLevel.rank

    def days(level: str) -> timedelta:  # selectors.cadence_days
        return timedelta(days=cadence.get(level or RiskLevel.LOW, 365))

    def owner():
        return None if rng.random() < 0.05 else rng.choice(owner_ids)

    def phrase(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    with transaction.atomic():
        # A partial or older seeding: start again (cascades to assessments, actions, links).
        with _no_delete_signals():
            Risk.objects.filter(tags__contains=[MARK]).delete()
            Control.objects.filter(name__startswith=CONTROL_PREFIX).delete()

        controls = []
        for n in range(N_CONTROLS):
            created = now - span + span * (n / N_CONTROLS)
            effectiveness = rng.choices(ControlEffectiveness.values, weights=[2, 1, 3, 4])[0]
            controls.append(
                Control(
                    name=f"{CONTROL_PREFIX}{rng.choice(CONTROL_VERBS)} {phrase(2)} {n:04d}",
                    description=phrase(12).capitalize() + ".",
                    control_type=rng.choice(ControlType.values),
                    kind=rng.choice(ControlKind.values),
                    owner_id=owner(),
                    frequency=rng.choice(["daily", "weekly", "monthly", "per transaction", ""]),
                    last_tested_at=(created + timedelta(days=rng.randint(1, 60))).date()
                    if rng.random() < 0.7
                    else None,
                    effectiveness=effectiveness,
                    effectiveness_changed_at=created
                    if effectiveness != ControlEffectiveness.NOT_ASSESSED
                    else None,
                    created_at=created,
                    updated_at=created,
                )
            )

        risks, assessments, links, actions = [], [], [], []
        statuses = [RiskStatus.OPEN, RiskStatus.IN_TREATMENT, RiskStatus.DRAFT, RiskStatus.CLOSED]
        for n in range(N_RISKS):
            created = now - span + span * (n / N_RISKS) + timedelta(seconds=rng.randint(0, 600))
            category = rng.choice(categories)
            inherent = matrix_math.rate(matrix.definition, rng.randint(1, 5), rng.randint(1, 5))
            residual = matrix_math.rate(
                matrix.definition,
                max(1, inherent.likelihood - rng.randint(0, 2)),
                max(1, inherent.impact - rng.randint(0, 1)),
            )
            inherent_at = created + timedelta(hours=1)
            residual_at = created + timedelta(days=2)
            # schedule_first_review (unassessed: LOW's cadence), then bring_review_forward after
            # each assessment that raised the current level, "today" being the day it happened.
            review = created.date() + days("")
            review = min(review, inherent_at.date() + days(inherent.level))
            if rank(residual.level) > rank(inherent.level):
                review = min(review, residual_at.date() + days(residual.level))
            limit = appetite[category.pk]
            risk = Risk(
                title=f"{category.name_en}: {phrase(4)} ({n:05d})",
                description=phrase(25).capitalize() + ".",
                category=category,
                business_line=rng.choice(["Consumer loans", "SME loans", "Payments", ""]),
                causes=phrase(10),
                consequences=phrase(10),
                source=rng.choice(RiskSource.values),
                owner_id=owner(),
                department=rng.choice(["Risk", "Operations", "IT", "Finance", "Compliance"]),
                status=rng.choices(statuses, weights=[5, 3, 1, 1])[0],
                treatment_strategy=rng.choice(["", *TreatmentStrategy.values]),
                tags=sorted({MARK, *rng.sample(["kyc", "it", "vendor", "pricing", "aml"], 2)}),
                next_review_at=review,
                inherent_likelihood=inherent.likelihood,
                inherent_impact=inherent.impact,
                inherent_score=inherent.score,
                inherent_level=inherent.level,
                residual_likelihood=residual.likelihood,
                residual_impact=residual.impact,
                residual_score=residual.score,
                residual_level=residual.level,
                current_level=residual.level,
                above_appetite=bool(limit and rank(residual.level) > rank(limit)),
                created_at=created,
                updated_at=residual_at,
            )
            risks.append(risk)
            for kind, rating, at in (
                (AssessmentKind.INHERENT, inherent, inherent_at),
                (AssessmentKind.RESIDUAL, residual, residual_at),
            ):
                assessments.append(
                    RiskAssessment(
                        risk=risk,
                        kind=kind,
                        method=rng.choice(
                            [
                                AssessmentMethod.EXPERT,
                                AssessmentMethod.HISTORICAL,
                                AssessmentMethod.SCENARIO,
                            ]
                        ),  # fmt: skip
                        matrix=matrix,
                        likelihood=rating.likelihood,
                        impact=rating.impact,
                        score=rating.score,
                        level=rating.level,
                        expected_loss=Decimal(rng.randint(1, 5000) * 1000)
                        if rng.random() < 0.5
                        else None,
                        currency="CNY",
                        rationale=phrase(8),
                        assessor_id=rng.choice(user_ids),
                        assessed_at=at,
                        created_at=at,
                        updated_at=at,
                    )
                )
            # ~3 controls; one risk in ten has more than the 5 the list shows.
            k = rng.randint(6, 8) if rng.random() < 0.1 else rng.randint(1, 4)
            linked = rng.sample(controls, k)
            links.extend(Control.risks.through(control=c, risk=risk) for c in linked)
            for a in range(rng.randint(1, 2)):
                status = rng.choices(ActionStatus.values, weights=[4, 3, 2, 1])[0]
                at = created + timedelta(days=3 + a)
                actions.append(
                    TreatmentAction(
                        risk=risk,
                        control=rng.choice(linked) if rng.random() < 0.6 else None,
                        title=f"{rng.choice(CONTROL_VERBS)} {phrase(3)}",
                        description=phrase(10),
                        owner_id=owner(),
                        due_date=(at + timedelta(days=rng.randint(30, 180))).date(),
                        status=status,
                        completed_at=(
                            at + timedelta(days=20) if status == ActionStatus.DONE else None
                        ),
                        created_at=at,
                        updated_at=at,
                    )
                )

        with _explicit_timestamps(Control, Risk, RiskAssessment, TreatmentAction):
            Control.objects.bulk_create(controls, batch_size=1000)
            Risk.objects.bulk_create(risks, batch_size=1000)
            RiskAssessment.objects.bulk_create(assessments, batch_size=2000)
            TreatmentAction.objects.bulk_create(actions, batch_size=2000)
        Control.risks.through.objects.bulk_create(links, batch_size=5000)

    with connection.cursor() as cursor:  # fresh statistics for the planner
        for model in (Risk, RiskAssessment, Control, Control.risks.through, TreatmentAction):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
