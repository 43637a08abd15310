from apps.core.modules import Module

JOB_IMPORT = "people_import"

MODULE = Module(
    label="people",
    audit="apps.people.audit",
    query="apps.people.graphql.queries:PeopleQuery",
    mutation="apps.people.graphql.mutations:PeopleMutation",
    job_kinds={JOB_IMPORT: "People import (HR sync)"},
    job_results={JOB_IMPORT: "apps.people.graphql.job_results:PeopleImportResult"},
    demo_steps=("apps.people.demo:demo",),  # sample data for `manage.py demo_setup`
)
