"""Every tenant starts with the sources' scenarios, levels I–IV and five template plans (drafts
to adapt: no people are named, so they cannot be submitted until the organisation is filled)."""

from django.db import migrations

SCENARIOS = [
    ("liquidity_run", "Liquidity run / mass withdrawal", "挤兑、集中赎回"),
    ("system_outage", "System outage and disaster recovery", "系统故障与灾备"),
    ("data_leak", "Cyberattack / data leak", "网络攻击、数据泄露"),
    ("fraud_wave", "Fraud wave", "欺诈集中爆发"),
    ("credit_deterioration", "Credit deterioration", "信用风险恶化"),
    ("litigation", "Litigation or regulatory investigation", "诉讼或监管调查"),
    ("compliance_breach", "Compliance breach", "合规违规"),
    ("reputation_crisis", "Reputation crisis", "声誉危机"),
]
# Rank 1 is the most severe; the hours are the default regulator-report deadline per level.
LEVELS = [
    ("I", "Particularly serious", 1, 2),
    ("II", "Serious", 2, 4),
    ("III", "Major", 3, 24),
    ("IV", "General", 4, None),
]
STEPS = {
    "liquidity_run": [
        ("warning", "Confirm the outflow figures and the funding gap", "deputy", 30),
        ("response", "Convene the emergency team", "commander", 60),
        ("response", "Draw on the emergency funding sources and reserves", "commander", 120),
        ("response", "Notify the regulator", "regulator_liaison", 120),
        ("crisis", "Publish a customer notice on redemptions", "communications_lead", 240),
        ("post_event", "Evaluate the response and update the plan", "coordinator", 10080),
    ],
    "system_outage": [
        ("warning", "Confirm the outage and its scope", "technical_lead", 15),
        ("response", "Switch to the disaster-recovery site", "technical_lead", 60),
        ("response", "Inform customers of the service status", "communications_lead", 60),
        ("crisis", "Restore service and verify data integrity", "technical_lead", 240),
        ("post_event", "Root-cause analysis and lessons learned", "coordinator", 10080),
    ],
    "data_leak": [
        ("warning", "Confirm the leak and preserve evidence", "technical_lead", 30),
        ("response", "Isolate the affected systems and trace the attack path", "technical_lead", 60),
        ("response", "Report to the regulator and the police", "regulator_liaison", 120),
        ("crisis", "Notify affected customers", "communications_lead", 1440),
        ("post_event", "Evaluate and close the vulnerabilities", "coordinator", 10080),
    ],
    "fraud_wave": [
        ("warning", "Confirm the fraud pattern", "deputy", 30),
        ("response", "Freeze the suspicious accounts", "commander", 60),
        ("response", "Report to the police", "legal_counsel", 240),
        ("crisis", "Recover funds and warn customers", "communications_lead", 1440),
        ("post_event", "Tighten the anti-fraud rules", "coordinator", 10080),
    ],
    "reputation_crisis": [
        ("warning", "Confirm the reports and their reach", "communications_lead", 30),
        ("response", "Agree the public statement", "commander", 120),
        ("response", "Publish the statement and answer the press", "communications_lead", 240),
        ("crisis", "Follow up on complaints", "coordinator", 1440),
        ("post_event", "Evaluate the response", "coordinator", 10080),
    ],
}
TEMPLATES = [
    ("template_liquidity_run", "Liquidity run response", "liquidity_run"),
    ("template_system_outage", "System outage and disaster recovery", "system_outage"),
    ("template_data_leak", "Data leak response", "data_leak"),
    ("template_fraud_wave", "Fraud wave response", "fraud_wave"),
    ("template_reputation_crisis", "Reputation crisis response", "reputation_crisis"),
]
STRATEGIES = {
    "I": "Full activation: the commander leads, the board is informed, all resources available.",
    "II": "Emergency team convened; regulator informed; reserves on stand-by.",
    "III": "Business owner leads with the emergency team informed.",
    "IV": "Handled within the line of business; monitored by risk management.",
}


def seed(apps, schema_editor):
    Scenario = apps.get_model("emergency", "Scenario")
    SeverityLevel = apps.get_model("emergency", "SeverityLevel")
    Plan = apps.get_model("emergency", "Plan")
    PlanVersion = apps.get_model("emergency", "PlanVersion")
    PlanStep = apps.get_model("emergency", "PlanStep")
    LevelStrategy = apps.get_model("emergency", "LevelStrategy")
    scenarios = {}
    for code, name, name_zh in SCENARIOS:
        scenarios[code], _ = Scenario.objects.get_or_create(
            code=code, defaults={"name": name, "description": name_zh, "builtin": True}
        )
    levels = {}
    for code, name, rank, hours in LEVELS:
        levels[code], _ = SeverityLevel.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank, "regulator_report_hours": hours}
        )
    for code, name, scenario in TEMPLATES:
        plan, created = Plan.objects.get_or_create(
            code=code, defaults={"name": name, "scenario": scenarios[scenario], "template": True}
        )
        if not created:
            continue
        version = PlanVersion.objects.create(
            plan=plan,
            number=1,
            status="draft",
            objectives="Fund safety, stable systems, timely disclosure.",
            success_criteria=["Commander named within 30 minutes", "Regulator informed on time"],
        )
        for position, (phase, action, role, minutes) in enumerate(STEPS[scenario], start=1):
            PlanStep.objects.create(
                version=version,
                position=position,
                phase=phase,
                action=action,
                responsible_role=role,
                time_target_minutes=minutes,
                depends_on=[position - 1] if position > 1 else [],
            )
        for code_, text in STRATEGIES.items():
            LevelStrategy.objects.create(version=version, level=levels[code_], strategy=text)


class Migration(migrations.Migration):
    dependencies = [("emergency", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
