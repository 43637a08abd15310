from apps.core.modules import Module

JOB_IMPORT = "people_import"

MODULE = Module(
    label="people",
    audit="apps.people.audit",
    query="apps.people.graphql.queries:PeopleQuery",
    mutation="apps.people.graphql.mutations:PeopleMutation",
    job_kinds={JOB_IMPORT: "People import (HR sync)"},
    demo_steps=("apps.people.demo:demo",),  # sample data for `manage.py demo_setup`
)
