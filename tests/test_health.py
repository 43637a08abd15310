"""/healthz: stable check names for monitoring; infrastructure details for operators only."""

import pytest
from django.conf import settings
from django.test import override_settings

from apps.accounts.models import User
from tests.conftest import HOST_A

ALL_UP = {"status": "up", "checks": {"database": "up", "cache": "up", "broker": "up"}}
# A real Redis URL on which nothing listens: the broker check meets a refused connection.
DEAD_BROKER = "redis://127.0.0.1:1/0"


def _leaks(text: str) -> list[str]:
    redis_url = settings.CELERY_BROKER_URL
    port = redis_url.rsplit(":", 1)[1].split("/")[0]
    return [
        word for word in ("Redis(", "host", f"port={port}", "127.0.0.1", "alias") if word in text
    ]


def test_anonymous_healthz_is_up_down_by_stable_name(client, world):
    response = client.get("/healthz", HTTP_HOST=HOST_A)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == ALL_UP
    assert _leaks(response.content.decode()) == []


def test_the_platform_host_answers_the_same_names(client, world):
    response = client.get("/healthz", HTTP_HOST=settings.PUBLIC_DOMAIN)
    assert response.status_code == 200 and response.json() == ALL_UP


@pytest.mark.parametrize(
    "query, accept",
    [
        ("", "text/html"),
        ("?format=text", ""),
        ("?format=openmetrics", ""),
        ("?format=atom", ""),
        ("?format=rss", ""),
        ("", "application/openmetrics-text"),
    ],
)
def test_no_other_format_shows_anonymous_callers_the_servers(client, world, query, accept):
    response = client.get(f"/healthz{query}", HTTP_HOST=HOST_A, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response.json() == ALL_UP
    assert _leaks(response.content.decode()) == []


@override_settings(CELERY_BROKER_URL=DEAD_BROKER)
def test_a_dead_broker_is_down_without_saying_where(client, world):
    response = client.get("/healthz", HTTP_HOST=HOST_A)
    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "checks": {"database": "up", "cache": "up", "broker": "down"},
    }
    assert ":1/" not in response.content.decode() and "port=1" not in response.content.decode()


def test_a_tenant_admin_gets_no_details(client, world):
    client.force_login(User.objects.get(email="admin@a.test"))
    response = client.get("/healthz", HTTP_HOST=HOST_A)
    assert response.json() == ALL_UP


def test_operators_see_details(client, world):
    client.force_login(world.operator)
    response = client.get("/healthz", HTTP_HOST=settings.PUBLIC_DOMAIN)
    body = response.json()
    assert {key: body[key] for key in ("status", "checks")} == ALL_UP
    assert set(body["details"]) == {"database", "cache", "broker"}
    broker = body["details"]["broker"]
    assert broker["check"].startswith("Redis(") and broker["error"] is None
    assert broker["seconds"] >= 0


@override_settings(CELERY_BROKER_URL=DEAD_BROKER)
def test_operators_see_why_the_broker_is_down(client, world):
    client.force_login(world.operator)
    response = client.get("/healthz", HTTP_HOST=settings.PUBLIC_DOMAIN)
    assert response.status_code == 503
    broker = response.json()["details"]["broker"]
    assert "port=1" in broker["check"]
    assert broker["error"]  # the check's own message, e.g. "Unable to connect to Redis"
