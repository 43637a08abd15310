"""Starting data of every tenant (existing ones too): an SLA per priority and the fintech
lexicon general sentiment models miss. Tenants edit both afterwards."""

import uuid

from django.db import migrations

SLAS = [("urgent", 2, 24), ("high", 4, 72), ("normal", 24, 168), ("low", 48, 336)]
# term → weight added to the model's score (−1..1).
LEXICON = {
    "frozen": -0.6,
    "hidden fees": -0.6,
    "hidden fee": -0.6,
    "locked out": -0.6,
    "can't withdraw": -0.7,
    "cannot withdraw": -0.7,
    "scam": -0.7,
    "harass": -0.6,
    "跑路": -0.8,
    "暴力催收": -0.8,
    "爆雷": -0.8,
    "提现失败": -0.7,
    "无法提现": -0.7,
    "冻结": -0.5,
    "套路贷": -0.8,
    "高利贷": -0.7,
    "砍头息": -0.7,
    "乱收费": -0.6,
    "泄露": -0.6,
    "骗子": -0.7,
    "投诉": -0.3,
    "到账快": 0.5,
}


def seed(apps, schema_editor):
    sla = apps.get_model("reputation", "ComplaintSla")
    for priority, response, resolution in SLAS:
        sla.objects.get_or_create(
            priority=priority,
            defaults={"id": uuid.uuid4(), "response_hours": response, "resolution_hours": resolution},
        )
    term = apps.get_model("reputation", "LexiconTerm")
    for text, weight in LEXICON.items():
        term.objects.get_or_create(term=text, defaults={"id": uuid.uuid4(), "weight": weight})


class Migration(migrations.Migration):
    dependencies = [("reputation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
