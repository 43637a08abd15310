from tests.conftest import HOST_A


def test_healthz_reports_database_and_redis(client, world):
    response = client.get("/healthz", HTTP_HOST=HOST_A)
    assert response.status_code == 200
    body = response.json()
    assert any(key.startswith("Database") for key in body)
    assert any(key.startswith("Redis") for key in body)
    assert set(body.values()) == {"OK"}
