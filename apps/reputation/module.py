from apps.core.modules import Module

JOB_SCORE = "reputation_score"  # sentiment of the mentions not scored by the current scorers
JOB_TOPICS = "reputation_topics"  # a topic's mentions tagged again after its keywords changed
JOB_COMPLAINT_IMPORT = "reputation_complaint_import"  # a complaint file past the inline limit

MODULE = Module(
    label="reputation",
    audit="apps.reputation.audit",
    query="apps.reputation.graphql.queries:ReputationQuery",
    mutation="apps.reputation.graphql.mutations:ReputationMutation",
    job_kinds={
        JOB_SCORE: "Mention sentiment scoring",
        JOB_TOPICS: "Mention topic tagging",
        JOB_COMPLAINT_IMPORT: "Complaint file import",
    },
    job_results={
        JOB_SCORE: "apps.reputation.graphql.job_results:SentimentScoringResult",
        JOB_TOPICS: "apps.reputation.graphql.job_results:TopicTaggingResult",
        JOB_COMPLAINT_IMPORT: "apps.reputation.graphql.job_results:ComplaintImportJobResult",
    },
    events={
        "reputation.complaint_sla_breached": (
            "A complaint passed its first-response or resolution due time unanswered."
        ),
        "reputation.complaint_received": "A complaint was recorded.",
    },
    tick_handlers={
        "reputation.complaint_sla": "apps.reputation.tasks:complaint_sla_if_due",
        "reputation.daily_index": "apps.reputation.tasks:daily_index_if_due",
    },
)
