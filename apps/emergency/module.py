from apps.core.modules import Module

MODULE = Module(
    label="emergency",
    audit="apps.emergency.audit",
    demo_steps=("apps.emergency.demo:demo",),  # an approved reputation-crisis plan
    query="apps.emergency.graphql.queries:EmergencyQuery",
    mutation="apps.emergency.graphql.mutations:EmergencyMutation",
    subscription="apps.emergency.graphql.subscriptions:EmergencySubscription",
    events={
        "emergency.activation_declared": "An emergency plan was activated (an incident declared).",
        "emergency.level_changed": "An activation's severity level changed.",
        "emergency.task_overdue": "A task of an activation passed its due time unfinished.",
        "emergency.activation_closed": "An activation was closed with its evaluation.",
        "emergency.drill_missed": "A drill's date passed with no result recorded.",
        "emergency.plan_review_due": "An approved plan's periodic review is due.",
    },
    tick_handlers={
        # Every tick (idempotent): red signals → automatic activations, overdue tasks → notices.
        "emergency.response": "apps.emergency.tasks:response_tick",
        # Once a day: missed drills, next drills from the cadence, plan review reminders.
        "emergency.daily": "apps.emergency.tasks:daily_if_due",
    },
)
