"""Starting topics of every tenant (existing ones too), with keywords in Chinese and English
and their risk categories. Tenants edit them afterwards; existing mentions are tagged by the
first scoring job that walks them or by a topic's re-tag job (`topicUpdate`)."""

import uuid

from django.db import migrations

# code → (name, Chinese keywords, English keywords, risk category codes)
TOPICS = {
    "data_leak": (
        "Data leak",
        ["数据泄露", "信息泄露", "泄露", "隐私", "个人信息", "被盗号"],
        ["data leak", "data breach", "leaked", "leak", "privacy breach", "hacked"],
        ["technology", "legal_compliance"],
    ),
    "compliance": (
        "Compliance",
        ["违规", "违法", "监管", "罚款", "处罚", "无牌照", "整改"],
        ["regulator", "fined", "fine", "penalty", "violation", "unlicensed", "illegal"],
        ["legal_compliance"],
    ),
    "fees": (
        "Fees",
        ["乱收费", "手续费", "服务费", "砍头息", "高利贷", "收费", "扣费"],
        ["hidden fee", "hidden fees", "fee", "fees", "charges", "overcharged", "interest rate"],
        ["legal_compliance", "reputational"],
    ),
    "collection": (
        "Collection practices",
        ["暴力催收", "催收", "骚扰", "爆通讯录", "威胁"],
        ["debt collector", "debt collectors", "collection calls", "harass", "harassed",
         "harassment", "threatened"],
        ["legal_compliance", "reputational"],
    ),
    "service_outage": (
        "Service outage",
        ["宕机", "崩溃", "打不开", "闪退", "系统故障", "无法登录", "登不上"],
        ["outage", "crashed", "crashes", "not working", "can't log in", "cannot log in",
         "locked out", "app down"],
        ["technology", "operational"],
    ),
    "fraud_scam": (
        "Fraud and scams",
        ["诈骗", "骗子", "骗局", "套路贷", "跑路", "爆雷"],
        ["scam", "scams", "scammer", "scammers", "fraud", "fraudulent", "ponzi"],
        ["fraud"],
    ),
    "withdrawal": (
        "Withdrawal problems",
        ["提现", "提现失败", "无法提现", "不到账", "冻结"],
        ["withdraw", "withdrawal", "withdrawals", "can't withdraw", "cannot withdraw", "frozen",
         "payout"],
        ["liquidity", "operational"],
    ),
}


def seed(apps, schema_editor):
    topic_model = apps.get_model("reputation", "Topic")
    category_model = apps.get_model("risks", "RiskCategory")
    for code, (name, zh, en, categories) in TOPICS.items():
        topic, created = topic_model.objects.get_or_create(
            code=code,
            defaults={"id": uuid.uuid4(), "name": name, "keywords_zh": zh, "keywords_en": en},
        )
        if created:
            topic.risk_categories.set(category_model.objects.filter(code__in=categories))


class Migration(migrations.Migration):
    dependencies = [("reputation", "0005_topics_brand_metrics_category_slas")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
