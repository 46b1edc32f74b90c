from __future__ import annotations

from django.test import Client


def test_health_page_answers_without_login(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert b"<p>ok</p>" in response.content


def test_health_page_is_read_only(client: Client) -> None:
    assert client.post("/health/").status_code == 405
