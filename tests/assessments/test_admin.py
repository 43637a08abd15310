"""Assessments in the tenant admin: uploads through the dataset service (row errors on the
file field, nothing written), runs cancelled through the run service."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from apps.assessments.models import AssessmentRun, Dataset
from tests.conftest import HOST_A, PASSWORD


@pytest.fixture
def admin_client(client, world):
    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@a.test", "password": PASSWORD},
        HTTP_HOST=HOST_A,
    )
    assert signed_in.status_code == 302
    return client


def _add(client, text: str):
    return client.post(
        "/admin/assessments/dataset/add/",
        {
            "name": "flows",
            "kind": "cash_flows",
            "description": "",
            "file_format": "csv",
            "file": SimpleUploadedFile("flows.csv", text.encode()),
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
        HTTP_HOST=HOST_A,
    )


def test_an_upload_through_the_admin_makes_a_version(admin_client, world):
    response = _add(admin_client, "maturity_days,outflow\n3,100\n40,5\n")
    assert response.status_code == 302, response.content[:2000]
    with schema_context(world.a.schema_name):
        dataset = Dataset.objects.get(name="flows")
        version = dataset.versions.get()
        assert (version.number, version.row_count, version.status) == (1, 2, "ready")


def test_a_bad_file_shows_its_rows_and_writes_nothing(admin_client, world):
    response = _add(admin_client, "maturity_days,outflow\nsoon,100\n")
    assert response.status_code == 200
    assert "Row 2, maturity_days: A number." in response.content.decode()
    with schema_context(world.a.schema_name):
        assert not Dataset.objects.exists()


def test_a_run_is_cancelled_through_the_service(admin_client, world):
    from apps.assessments.services.datasets import dataset_upload
    from apps.assessments.services.runs import run_create

    with schema_context(world.a.schema_name):
        flows = dataset_upload(
            content=b"maturity_days,outflow\n3,100\n",
            file_format="csv",
            name="f",
            kind="cash_flows",
        )
        run = run_create(kind="liquidity", cash_flows=flows.pk, parameters={"liquid_assets": 1})
    response = admin_client.post(
        "/admin/assessments/assessmentrun/",
        {"action": "cancel", "_selected_action": [str(run.pk)]},
        HTTP_HOST=HOST_A,
    )
    assert response.status_code == 302
    with schema_context(world.a.schema_name):
        assert AssessmentRun.objects.get(pk=run.pk).status == "cancelled"


def test_a_register_mapping_through_the_admin_is_checked_by_the_service(admin_client, world):
    from apps.assessments.models import RegisterMapping

    form = {
        "run_kind": "market_var",
        "rating_kind": "residual",
        "likelihood_figure": "backtest_exceptions",
        "likelihood_segment": "",
        "likelihood_bands": "2,5,8",  # the 5-level matrix needs 4
        "impact_figure": "var_99",
        "impact_segment": "",
        "impact_bands": "",
        "loss_figure": "var_99",
        "loss_segment": "",
    }
    refused = admin_client.post("/admin/assessments/registermapping/add/", form, HTTP_HOST=HOST_A)
    assert refused.status_code == 200
    assert "give 4 thresholds" in refused.content.decode()
    saved = admin_client.post(
        "/admin/assessments/registermapping/add/",
        form | {"likelihood_bands": "2,5,8,10"},
        HTTP_HOST=HOST_A,
    )
    assert saved.status_code == 302
    with schema_context(world.a.schema_name):
        mapping = RegisterMapping.objects.get()
        assert mapping.likelihood_bands == [2, 5, 8, 10]
        assert mapping.impact_bands == []  # the matrix's money bounds


def test_reserve_movements_are_proposed_and_decided_through_the_services(admin_client, world):
    from apps.assessments.models import ReserveFund, ReserveMovement
    from apps.assessments.services.reserve import reserve_fund_create, reserve_movement_create

    with schema_context(world.a.schema_name):
        fund = reserve_fund_create(name="Admin reserve", currency="CNY", target="100")
        theirs = reserve_movement_create(
            fund_id=fund.pk,
            kind="contribution",
            amount="40",
            reason="Q1",
            actor=world.user("a", "analyst"),
        )
    added = admin_client.post(
        "/admin/assessments/reservemovement/add/",
        {"fund": str(fund.pk), "kind": "drawdown", "amount": "10", "reason": "Loss"},
        HTTP_HOST=HOST_A,
    )
    assert added.status_code == 200  # refused on the form: the balance is still 0
    assert "The balance is 0.00 CNY." in added.content.decode()
    added = admin_client.post(
        "/admin/assessments/reservemovement/add/",
        {"fund": str(fund.pk), "kind": "contribution", "amount": "5", "reason": "Top-up"},
        HTTP_HOST=HOST_A,
    )
    assert added.status_code == 302, added.content[:2000]
    with schema_context(world.a.schema_name):
        mine = ReserveMovement.objects.get(reason="Top-up")
    decided = admin_client.post(
        "/admin/assessments/reservemovement/",
        {"action": "approve", "_selected_action": [str(theirs.pk), str(mine.pk)]},
        HTTP_HOST=HOST_A,
        follow=True,
    )
    shown = decided.content.decode()
    assert "Someone other than its maker decides a movement." in shown  # the admin's own
    with schema_context(world.a.schema_name):
        statuses = dict(ReserveMovement.objects.values_list("reason", "status"))
        assert statuses == {"Q1": "approved", "Top-up": "pending"}
        assert ReserveFund.objects.get().balance == 40
