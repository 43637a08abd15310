"""The event report (事件报告) of an activation and the drill report, as plain sections of
text rows: the same content is written as PDF or XLSX (services.report_files)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from apps.emergency.models import (
    Activation,
    ActivationRole,
    Drill,
    DrillFinding,
    TaskStatus,
    TimelineEvent,
    holder_name,
)
from apps.emergency.selectors.deadlines import communication_deadlines

# A report is read by a person: beyond this many timeline events the report says how many
# were left out (the full timeline stays a GraphQL connection).
TIMELINE_LIMIT = 2000
OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    kind: str  # activation / drill
    title: str
    subject: str  # the file name's stem
    sections: list[Section]

    @property
    def row_count(self) -> int:
        return sum(len(section.rows) for section in self.sections)


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def money(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else f"{amount:,.2f} {currency}"


def _person(holder) -> str:
    """A Person's or a member's name (holders may be either)."""
    return holder_name(holder)


def _facts(title: str, pairs: list[tuple[str, str]]) -> Section:
    return Section(title, ["项目 Item", "内容 Value"], [[k, v] for k, v in pairs])


def activation_report(activation_id, *, now: datetime | None = None) -> Report | None:
    """None when no activation has this id (in this tenant)."""
    from apps.risks.selectors import risks_by_ids

    now = now or timezone.now()
    activation = (
        Activation.objects.select_related("plan", "version", "level", "signal")
        .prefetch_related(
            "tasks__assignee",
            "tasks__assignee_member",
            Prefetch(
                "roles",
                ActivationRole.objects.select_related("person", "member").order_by(
                    "started_at", "role"
                ),
            ),
            "communications",
            "regulator_reports__level",
            "version__communications",
        )
        .filter(pk=activation_id)
        .first()
    )
    if activation is None:
        return None
    a = activation
    risks = risks_by_ids([str(pk) for pk in a.risk_ids])
    facts = _facts(
        "概况 Overview",
        [
            ("事件 Event", a.title),
            ("预案 Plan", f"{a.plan.code} — {a.plan.name} (v{a.version.number})"),
            ("级别 Level", f"{a.level.code} {a.level.name}"),
            ("状态 Status", a.get_status_display()),
            ("来源 Source", a.get_source_display()),
            ("地点 Place", a.location),
            ("性质 Nature", a.description),
            ("发现时间 Detected", when(a.detected_at)),
            ("宣布时间 Declared", when(a.declared_at)),
            ("稳定时间 Stabilised", when(a.stabilised_at)),
            ("关闭时间 Closed", when(a.closed_at)),
            ("涉及金额 Amount involved", money(a.amount_involved, a.currency)),
            ("估计损失 Estimated loss", money(a.estimated_loss, a.currency)),
            (
                "受影响客户 Affected customers",
                "" if a.affected_customers is None else str(a.affected_customers),
            ),
            ("关联风险 Linked risks", "; ".join(r.title for r in risks)),
        ],
    )
    tasks = Section(
        "任务 Tasks",
        [
            "#",
            "阶段 Phase",
            "任务 Action",
            "负责人 Assignee",
            "到期 Due",
            "完成 Done",
            "状态 Status",
            "逾期 Late",
        ],
    )
    late_count = 0
    for task in a.tasks.all():
        finished = task.finished_at
        if task.status == TaskStatus.DONE:
            late = finished is not None and finished > task.due_at
        else:
            late = task.status in OPEN and now > task.due_at
        late_count += late
        tasks.rows.append(
            [
                str(task.position),
                task.get_phase_display(),
                task.action,
                _person(task.assigned_to),
                when(task.due_at),
                when(finished),
                task.get_status_display() + (f" ({task.skip_reason})" if task.skip_reason else ""),
                "是 yes" if late else "",
            ]
        )
    tasks.note = f"{late_count} late of {len(tasks.rows)}"
    roles = Section(
        "角色 Roles",
        ["角色 Role", "人员 Person", "开始 From", "结束 Until"],
        [
            [
                term.get_role_display(),
                _person(term.holder),
                when(term.started_at),
                when(term.ended_at),
            ]
            for term in a.roles.all()
        ],
    )
    communications = Section(
        "沟通 Communications",
        ["受众 Audience", "渠道 Channel", "内容 Summary", "时间 Sent"],
        [
            [c.get_audience_display(), c.get_channel_display(), c.summary, when(c.sent_at)]
            for c in sorted(a.communications.all(), key=lambda c: c.sent_at)
        ],
    )
    deadlines = Section(
        "沟通时限 Communication deadlines",
        ["受众 Audience", "时限(分钟) Minutes", "到期 Due", "首次告知 First told", "结果 Outcome"],
        [
            [d.audience, str(d.deadline_minutes), when(d.due_at), when(d.first_sent_at), d.outcome]
            for d in communication_deadlines(a, now)
        ],
    )
    reports = Section(
        "监管报告 Regulator reports",
        ["级别 Level", "到期 Due", "提交 Submitted", "编号 Reference", "结果 Outcome"],
        [
            [r.level.code, when(r.due_at), when(r.submitted_at), r.reference, r.outcome(now)]
            for r in a.regulator_reports.all()
        ],
    )
    events = list(
        TimelineEvent.objects.filter(activation=a).order_by("at", "created_at")[
            : TIMELINE_LIMIT + 1
        ]
    )
    timeline = Section(
        "时间线 Timeline",
        ["时间 At", "类型 Kind", "内容 Text", "置顶 Pinned"],
        [
            [when(ev.at), ev.get_kind_display(), ev.text, "是 yes" if ev.pinned else ""]
            for ev in events[:TIMELINE_LIMIT]
        ],
    )
    if len(events) > TIMELINE_LIMIT:
        timeline.note = f"The first {TIMELINE_LIMIT} events; the rest are in the API."
    evaluation = _facts(
        "评估 Evaluation",
        [
            ("根本原因 Root cause", a.root_cause),
            ("经验教训 Lessons learned", a.lessons_learned),
            ("后续措施 Follow-up actions", a.follow_up_actions),
            ("预案评分 Plan rating (1–5)", "" if a.plan_rating is None else str(a.plan_rating)),
        ],
    )
    return Report(
        kind="activation",
        title=f"事件报告 Event report: {a.title}",
        subject=f"event-report-{a.declared_at:%Y%m%d}-{a.plan.code}",
        sections=[facts, timeline, tasks, roles, communications, deadlines, reports, evaluation],
    )


def drill_report(drill_id) -> Report | None:
    """None when no drill has this id (in this tenant)."""
    drill = (
        Drill.objects.select_related("plan", "version")
        .prefetch_related(
            "participants",
            "step_timings",
            Prefetch("findings", DrillFinding.objects.select_related("owner")),
        )
        .filter(pk=drill_id)
        .first()
    )
    if drill is None:
        return None
    d = drill
    facts = _facts(
        "概况 Overview",
        [
            ("预案 Plan", f"{d.plan.code} — {d.plan.name} (v{d.version.number})"),
            ("类型 Type", d.get_kind_display()),
            ("场景 Scenario", d.scenario),
            ("计划日期 Scheduled", str(d.scheduled_on)),
            ("实施日期 Held", str(d.held_on or "")),
            ("状态 Status", d.get_status_display()),
            ("结果 Result", d.get_result_display() if d.result else ""),
            ("参与人员 Participants", "; ".join(p.full_name for p in d.participants.all())),
            ("总结 Summary", d.summary),
        ],
    )
    criteria = Section("成功标准 Success criteria", ["#", "标准 Criterion", "达成 Met"])
    for index, criterion in enumerate(d.success_criteria):
        met = d.criteria_met[index] if index < len(d.criteria_met) else None
        answer = "" if met is None else ("达成 met" if met else "未达成 not met")
        criteria.rows.append([str(index + 1), criterion, answer])
    timings = Section(
        "步骤用时 Step timings",
        [
            "#",
            "步骤 Step",
            "目标(分钟) Target",
            "开始 Started",
            "完成 Finished",
            "用时 Elapsed",
            "超时 Late",
        ],
    )
    for t in d.step_timings.all():
        elapsed = (
            ""
            if t.started_minutes is None or t.finished_minutes is None
            else str(t.finished_minutes - t.started_minutes)
        )
        timings.rows.append(
            [
                str(t.position),
                t.action,
                str(t.target_minutes),
                "" if t.started_minutes is None else str(t.started_minutes),
                "未完成 not finished" if t.finished_minutes is None else str(t.finished_minutes),
                elapsed,
                "是 yes" if t.late else "",
            ]
        )
    timings.note = "Minutes from the drill's start, against each step's target."
    findings = Section(
        "发现 Findings",
        ["发现 Finding", "严重性 Severity", "负责人 Owner", "到期 Due", "状态 Status"],
        [
            [
                f.title,
                f.get_severity_display(),
                _person(f.owner),
                str(f.due_on or ""),
                f.get_status_display(),
            ]
            for f in d.findings.all()
        ],
    )
    return Report(
        kind="drill",
        title=f"演练报告 Drill report: {d.plan.name} {d.scheduled_on}",
        subject=f"drill-report-{d.scheduled_on:%Y%m%d}-{d.plan.code}",
        sections=[facts, criteria, timings, findings],
    )
