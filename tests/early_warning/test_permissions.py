"""Every early-warning operation, for every role."""

import pytest

from tests.accounts.test_roles import ROLES
from tests.conftest import error_codes

NIL = '"SW5kaWNhdG9yOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA=="'
OPERATIONS = {
    "{ indicators { totalCount } }": "viewer",
    "{ warningSignals { totalCount } }": "viewer",
    "{ warningSettings { escalateRedAfterMinutes } }": "viewer",
    f'{{ indicatorSeries(indicator: {NIL}, start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z") {{ value }} }}': "viewer",
    'mutation { indicatorSave(input: {code: "p", name: "p"}) { errors { code } } }': "risk_manager",
    f"mutation {{ ruleSave(input: {{indicator: {NIL}, kind: THRESHOLD}}) {{ errors {{ code }} }} }}": "risk_manager",
    "mutation { warningSettingsUpdate(input: {escalateRedAfterMinutes: 30}) { errors { code } } }": "risk_manager",
    "mutation { observationsIngest(input: {points: []}) { count errors { code } } }": "analyst",
    "mutation { observationsIngestRows(input: {rows: []}) { count errors { code } } }": "analyst",
    'mutation { observationsIngestCsv(input: {csv: "indicator,observed_at,value\\n"}) { count } }': "analyst",
    f"mutation {{ signalTransition(input: {{id: {NIL}, to: RESOLVED}}) {{ errors {{ code }} }} }}": "analyst",
    "mutation { scanRun(input: {}) { errors { code } } }": "analyst",
}


@pytest.mark.parametrize("operation,lowest", OPERATIONS.items(), ids=lambda v: v[:40])
@pytest.mark.parametrize("role", ROLES)
def test_early_warning_role_matrix(api, operation, lowest, role):
    body = api("a", role)(operation)
    if ROLES.index(role) >= ROLES.index(lowest):
        if "indicatorSeries" in operation:  # a permitted lookup of a missing indicator
            assert error_codes(body) == ["NOT_FOUND"]
        else:
            assert not body.get("errors"), body
    else:
        assert error_codes(body) == ["FORBIDDEN"] and body["data"] is None


def test_every_early_warning_mutation_is_in_the_matrix():
    from apps.early_warning.graphql.mutations import EarlyWarningMutation

    fields = {f.name for f in EarlyWarningMutation.__strawberry_definition__.fields}
    camel = {"".join(w.title() if i else w for i, w in enumerate(n.split("_"))) for n in fields}
    covered = {
        op.split("{")[1].split("(")[0].strip() for op in OPERATIONS if op.startswith("mutation")
    }
    assert camel <= covered, camel - covered
