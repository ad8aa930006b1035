import httpx


def test_health_answers_ok_over_http(live_app):
    response = httpx.get(f"{live_app.url}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
