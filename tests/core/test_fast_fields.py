"""The execution fast paths (apps/core/graphql/execution.py) and the library internals they
rely on: each pin fails on an upgrade of strawberry, strawberry-django or Django that moves
what the fast path assumes (docs/decisions.md, "perfapi")."""

import json
from datetime import UTC, datetime

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django_tenants.utils import schema_context
from graphql.execution.middleware import MiddlewareManager
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import DjangoOptimizerExtension
from strawberry_django.queryset import get_queryset_config

from apps.core.graphql import execution
from apps.risks.models import Control, Risk, RiskAssessment, RiskCategory
from apps.risks.services import assessments, controls, register
from config import schema as schemas
from tests.risks.people import person_for

PAGE = """{ risks(first: 10) { totalCount edges { node {
  title status category { code } owner { email } inherent { level score }
  controls(first: 2) { totalCount edges { node { name effectiveness lastTestedAt } }
    pageInfo { hasNextPage } }
} } } }"""


def _field(type_name: str, field_name: str):
    gql_field = schemas.schema._schema.type_map[type_name].fields[field_name]
    return gql_field, gql_field.extensions[execution.DEFINITION]


def test_the_register_fields_take_their_fast_path():
    # strawberry's back-reference from a graphql-core field to its definition
    title, title_definition = _field("Risk", "title")
    assert isinstance(title_definition, StrawberryDjangoField)
    assert title.resolve.__qualname__ == "column_resolver.<locals>.resolve"
    category, _ = _field("Risk", "category")
    assert category.resolve.__qualname__ == "to_one_resolver.<locals>.resolve"
    # a connection without resolver gets strawberry-django's default one (named here)
    _, controls_definition = _field("Risk", "controls")
    assert execution.is_connection_default_resolver(controls_definition)
    assert controls_definition._fengkong_prefetched
    # a field with a resolver of ours keeps strawberry's path
    inherent, _ = _field("Risk", "inherent")
    assert "resolve" not in inherent.resolve.__qualname__.split(".")[0]
    counts = schemas.FAST_FIELDS["tenant"]
    assert counts["columns"] > 100 and counts["to_one"] > 20 and counts["prefetched"] > 10


def test_a_permission_class_keeps_the_full_path():
    # Query.node has permission_classes (an extension): never replaced or wrapped differently
    node, definition = _field("Query", "node")
    assert definition.extensions and execution.column_attname(definition, Risk) is None
    assert node.resolve.__qualname__.endswith("_resolver")


def test_the_optimizer_wraps_only_list_fields():
    seen = []

    class Other:
        def resolve(self, next_, root, info, **kwargs):
            seen.append("other")
            return next_(root, info, **kwargs)

    optimizer = DjangoOptimizerExtension()
    manager = MiddlewareManager(optimizer, Other())

    def plain(root, info):
        return "value"

    def listed(root, info):
        return ["value"]

    fast = execution.FastMiddlewareManager(*manager.middlewares, plain=frozenset({plain}))
    wrapped_plain, wrapped_list = fast.get_field_resolver(plain), fast.get_field_resolver(listed)
    # the plain field: only the other middleware; the list field: both, in graphql-core's order
    assert wrapped_plain.func.__self__ is not optimizer and wrapped_plain.args == (plain,)
    usual = manager.get_field_resolver(listed)
    assert wrapped_list.func == usual.func and wrapped_list.args[0].func == usual.args[0].func
    assert usual.args[0].func.__self__ is optimizer
    assert wrapped_plain(None, None) == "value" and seen == ["other"]


@pytest.fixture
def linked(world):
    """Two risks, three controls on the first (names out of order), none on the second."""
    with schema_context(world.a.schema_name):
        category = RiskCategory.objects.get(code="credit")
        owner = person_for(world.user("a", "analyst"))  # owners are people of the directory
        first = register.risk_create(title="First", category_id=category.pk, owner_id=owner.pk)
        register.risk_create(title="Second", category_id=category.pk)
        assessments.assessment_record(risk_id=first.pk, kind="inherent", likelihood=2, impact=3)
        for name in ("Kc", "Ka", "Kb"):
            controls.control_save(
                name=name, control_type="detective", kind="audit", risk_ids=[first.pk]
            )
    connection.set_schema_to_public()


def test_a_page_answers_as_before(api, linked):
    rows = api("a", "viewer").ok(PAGE)["risks"]
    by_title = {e["node"]["title"]: e["node"] for e in rows["edges"]}
    first, second = by_title["First"], by_title["Second"]
    assert rows["totalCount"] == 2
    assert first["category"] == {"code": "credit"} and first["owner"] == {"email": "analyst@a.test"}
    assert first["inherent"] == {"level": "MEDIUM", "score": 6}
    assert second["owner"] is None and second["inherent"] is None
    # Control.Meta.ordering (name): Ka, Kb of three; Second has none
    assert first["controls"] == {
        "totalCount": 3,
        "edges": [
            {"node": {"name": "Ka", "effectiveness": "NOT_ASSESSED", "lastTestedAt": None}},
            {"node": {"name": "Kb", "effectiveness": "NOT_ASSESSED", "lastTestedAt": None}},
        ],
        "pageInfo": {"hasNextPage": True},
    }
    assert second["controls"] == {"totalCount": 0, "edges": [], "pageInfo": {"hasNextPage": False}}


@pytest.fixture
def in_a_linked(world, linked):
    with schema_context(world.a.schema_name):
        yield


def test_the_prefetch_cache_names_are_djangos(in_a_linked):
    # forward m2m, reverse m2m, reverse foreign key: the keys Django's prefetch writes
    risk = Risk.objects.prefetch_related("controls", "assessments").get(title="First")
    control = Control.objects.prefetch_related("risks").get(name="Ka")
    assert execution.prefetch_cache_name(Risk.controls) in risk._prefetched_objects_cache
    assert execution.prefetch_cache_name(Risk.assessments) in risk._prefetched_objects_cache
    assert execution.prefetch_cache_name(Control.risks) in control._prefetched_objects_cache
    assessment = RiskAssessment.objects.select_related("risk").filter(risk=risk).first()
    assert (
        execution.to_one_cache_name(_field("RiskAssessment", "risk")[1], RiskAssessment)
        in assessment._state.fields_cache
    )


class _Guarded:
    """An item type with a get_queryset (as TenantNode types above viewer have)."""

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return queryset.none()


class _Field:
    is_connection = True
    django_type = _Guarded

    def get_result(self, source, info, args, kwargs):
        return "full path"


def test_rows_a_guarded_type_did_not_see_take_the_full_path(in_a_linked):
    get_result = execution.prefetched_get_result(_Field(), "controls")
    plain = Risk.objects.prefetch_related("controls").get(title="First")  # no get_queryset ran
    assert get_result(plain, None, [], {}) == "full path"
    seen = Risk.objects.prefetch_related("controls").get(title="First")
    rows = seen._prefetched_objects_cache["controls"]
    get_queryset_config(rows).type_get_queryset_did_run = True  # as the optimizer's prefetch
    assert get_result(seen, None, [], {}) is rows
    assert get_result(Risk.objects.get(title="First"), None, [], {}) == "full path"  # no cache


def test_field_classes_keep_a_fetched_page(in_a_linked, django_assert_num_queries):
    """The fast path skips `get_queryset` for prefetched rows: every field class that takes it
    must leave fetched rows as they are (no re-sort, no filter, no query)."""
    classes = {
        type(f.extensions[execution.DEFINITION])
        for t in schemas.schema._schema.type_map.values()
        for f in getattr(t, "fields", {}).values()
        if getattr((f.extensions or {}).get(execution.DEFINITION), "_fengkong_prefetched", False)
    }
    assert classes
    risk = Risk.objects.prefetch_related("controls").get(title="First")
    rows = risk._prefetched_objects_cache["controls"]
    fields = [
        f.extensions[execution.DEFINITION]
        for t in schemas.schema._schema.type_map.values()
        for f in getattr(t, "fields", {}).values()
        if type((f.extensions or {}).get(execution.DEFINITION)) in classes
    ]
    for cls in classes:
        field = next(f for f in fields if type(f) is cls)
        get_queryset_config(rows).type_get_queryset_did_run = True
        with django_assert_num_queries(0):
            kept = field.get_queryset(rows, None)
            assert list(kept) == list(rows), cls


# --- the request path: orjson, and the variable checks' fast skips -------------------------------
def test_answers_are_the_json_modules_answers():
    from apps.core.graphql.view import FengkongGraphQLView

    view = FengkongGraphQLView(schema=schemas.schema)
    plain = {"data": {"t": "风控 é", "n": [1, 2.5, None, True], "e": {}}}
    assert json.loads(view.encode_json(plain)) == plain
    # what orjson writes otherwise or refuses takes the json module's path, as before
    odd = {"big": 2**70, "lone": "\ud800", "when": datetime(2026, 1, 2, 3, 4, 5, 678901, UTC)}
    assert view.encode_json(odd) == json.dumps(odd, cls=DjangoJSONEncoder, separators=(",", ":"))
    assert view.decode_json(b'{"a": "\\ud800", "n": 123456789012345678901234567890}') == {
        "a": "\ud800",
        "n": 123456789012345678901234567890,
    }


def test_the_string_check_skips_only_clean_variables():
    from apps.core.graphql.extensions import _may_hold_unstorable

    assert not _may_hold_unstorable({"points": [["kri", "2026-01-01", 1.5, {"c": "app"}]] * 3})
    assert not _may_hold_unstorable(None)
    for dirty in ({"a": "x\x00"}, {"a": [{"b": "\udfff"}]}, {"k\x00": 1}, {"a": "\\u0000"}):
        assert _may_hold_unstorable(dirty), dirty  # the walk decides (a literal \u0000 is fine)


def test_the_id_check_skips_only_inputs_without_ids():
    from graphql import build_schema

    from apps.core.graphql.ids import _holds_id

    sdl = build_schema(
        """
        input Point { indicator: String!, value: Float! }
        input A { b: B, name: String }  input B { a: A, ids: [ID!] }
        input C { c: C, n: Int }
        type Query { f(p: [Point!], a: A, b: B, c: C): Int }
        """
    )
    types = sdl.type_map
    assert not _holds_id(types["Point"]) and not _holds_id(types["C"])
    # a cycle: A holds an ID through B, whichever is asked first
    assert _holds_id(types["B"]) and _holds_id(types["A"])


def test_input_plans_build_what_strawberry_builds():
    from strawberry.types import arguments

    from apps.core.graphql import fast_inputs
    from apps.early_warning.graphql.mutations import ObservationInput, ObservationsIngestInput

    assert arguments.convert_argument is fast_inputs.convert_argument  # installed by the schema
    registry = schemas.schema.schema_converter.scalar_registry
    config = schemas.schema.config
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    values = [
        {"indicator": "kri", "observedAt": when, "value": 1.5},
        {"indicator": "kri", "observedAt": when, "value": -2.0, "dimensions": {"c": "app"}},
        {"indicator": "kri", "observedAt": when, "value": 0.0, "dimensions": None},
    ]
    for value in values:
        ours = fast_inputs.convert_argument(value, ObservationInput, registry, config)
        theirs = fast_inputs._strawberry_convert_argument(value, ObservationInput, registry, config)
        assert ours == theirs and type(ours) is ObservationInput
        assert ours.dimensions == value.get("dimensions")
    # a list field (points) has no plan: strawberry converts it, each point through a plan
    outer = {"points": values, "scan": False}
    converted = fast_inputs.convert_argument(outer, ObservationsIngestInput, registry, config)
    assert converted == fast_inputs._strawberry_convert_argument(
        outer, ObservationsIngestInput, registry, config
    )
    assert fast_inputs._plans[(ObservationsIngestInput, id(registry), id(config))] is (
        fast_inputs._NO_PLAN
    )
