"""A small document whose fragments fan out must be refused fast, before anyone signs in.

Each fragment spreads the next one twice, so n fragments stand for 2ⁿ selections: a limiter
that walks every spread (strawberry's own did) takes hours at n = 30 for a 1.5 KB document.
What is asserted is the refusal's cost in Python calls, load-independent: a document of 2n
fragments may cost about twice one of n (linear in its length), where a limiter that expands
the spreads would cost 2ⁿ times more.
"""

import sys

import pytest
from django.test import override_settings

from tests.conftest import HOST_A, Api

FAN_OUT = 30


def fan_out(n: int, *, leaf: str, step: str = "__typename") -> str:
    """`query { ...F0 }`, F_i selects `step` and spreads F_{i+1} twice; F_n selects `leaf`."""
    fragments = [
        f"fragment F{i} on Query {{ {step} ...F{i + 1} ...F{i + 1} }}" for i in range(n)
    ]
    fragments.append(f"fragment F{n} on Query {{ {leaf} }}")
    return "query { ...F0 } " + " ".join(fragments)


DEEP_LEAF = "me { " * 11 + "role" + " }" * 11  # 11 levels: past GRAPHQL_MAX_DEPTH (10)

VARIANTS = {  # n → document; the message of the refusal
    "depth": (lambda n: fan_out(n, leaf=DEEP_LEAF), "exceeds maximum operation depth of 10"),
    "aliases": (
        lambda n: fan_out(n, leaf="__typename", step="a: __typename"),
        "aliases found",
    ),
    "selections": (lambda n: fan_out(n, leaf="__typename"), "selects more than"),
}


def python_calls(query: str):
    """The response to `query` (anonymous) and the Python calls made while answering it."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        response = Api(HOST_A).raw(query)
    finally:
        sys.setprofile(None)
    return response, calls


@pytest.mark.parametrize("production", [False, True])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_fragment_fan_out_is_refused_fast_and_anonymously(world, variant, production):
    document, message = VARIANTS[variant]
    query = document(FAN_OUT)
    assert len(query) < 2500
    with override_settings(PRODUCTION=production):
        Api(HOST_A).raw("{ __typename }")  # warm up: the first request of a process loads more
        half, half_calls = python_calls(document(FAN_OUT // 2))
        response, calls = python_calls(query)  # anonymous: no token, no session
    print(f"{variant} (production={production}): {half_calls} calls at n=15, {calls} at n=30")
    for answer in (half, response):
        assert answer.status_code == 200
        body = answer.json()
        assert body["data"] is None
        assert message in body["errors"][0]["message"], body["errors"]
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # Twice the fragments: about twice the work, never 2¹⁵ times (an expanding walk).
    assert calls < 4 * half_calls, (half_calls, calls)


def test_a_fan_out_inside_introspection_is_counted_too(world):
    fragments = [
        f"fragment F{i} on __Schema {{ __typename ...F{i + 1} ...F{i + 1} }}"
        for i in range(FAN_OUT)
    ]
    query = "query { __schema { ...F0 } } " + " ".join(fragments)
    query += f" fragment F{FAN_OUT} on __Schema {{ __typename }}"
    body = Api(HOST_A)(query)
    assert body["data"] is None
    assert "selects more than" in body["errors"][0]["message"]


def test_a_cycle_of_fragments_is_refused_by_validation_without_looping(world):
    query = (
        "query { ...A } fragment A on Query { __typename ...B } "
        "fragment B on Query { __typename ...A }"
    )
    body = Api(HOST_A)(query)
    assert body["data"] is None
    assert "Cannot spread fragment 'A' within itself" in body["errors"][0]["message"]


def test_normal_fragments_count_like_inline_selections(api):
    # Depth through fragments is the depth of the expanded document: 10 levels pass, 11 do not.
    def nested(levels: int) -> str:
        inner = "me { " * levels + "role" + " }" * levels
        return "query { ...M } fragment M on Query { " + inner + " }"

    too_deep = api("a", "viewer")(nested(11))["errors"]
    assert too_deep[0]["message"] == "'anonymous' exceeds maximum operation depth of 10"
    # (Me has no `me` field: at 10 levels the depth passes and validation answers instead.)
    assert "Cannot query field 'me'" in api("a", "viewer")(nested(10))["errors"][0]["message"]
    fine = (
        "query { ...M ...M } fragment M on Query { m1: me { role } m2: me { ...R } } "
        "fragment R on Me { role user { email } }"
    )
    assert api("a", "viewer").ok(fine)["m1"]["role"] == "VIEWER"


@override_settings(GRAPHQL_MAX_SELECTIONS=9)
def test_the_selection_bound_counts_fragment_expansions(api):
    query = "query { ...M ...M ...M } fragment M on Query { me { role user { email } } }"
    # each M expands to 4 selections (me, role, user, email): 12 in all
    body = api("a", "viewer")(query)
    assert body["data"] is None
    assert body["errors"][0]["message"] == (
        "The query selects more than 9 fields once its fragments are expanded."
    )
    with override_settings(GRAPHQL_MAX_SELECTIONS=12):
        assert api("a", "viewer").ok(query)["me"]["role"] == "VIEWER"
