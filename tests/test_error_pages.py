"""Error pages are the app's own: in its layout, translated, friendly, with a way back;
API paths keep their JSON errors."""
import logging

import pytest
from flask import abort

from app import create_app
from app.config import TestConfig
from tests.conftest import STRONG_PASSWORD

WERKZEUG_WORDS = ("The requested URL was not found on the server",
                  "The method is not allowed for the requested URL",
                  "The server encountered an internal error", "Traceback")


def _is_our_page(html: str) -> bool:
    return 'class="topbar"' in html and "css/app.css" in html and "error-page" in html


def _assert_friendly(html: str) -> None:
    assert _is_our_page(html)
    assert not any(words in html for words in WERKZEUG_WORDS)
    assert 'href="/"' in html or "Back to the start" in html


def test_404_page_is_ours_with_a_way_back(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    _assert_friendly(html)
    assert "Page not found" in html and "may have been moved or deleted" in html
    assert "Log in" in html  # a visitor is offered the way in


def test_403_and_405_pages(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    api.post("/staff", {"name": "Agent A", "email": "agent@x.example", "role": "agent",
                        "password": STRONG_PASSWORD})
    client.post(f"/t/{slug}/login", data={"email": "agent@x.example",
                                          "password": STRONG_PASSWORD})
    forbidden = client.get("/app/events/")
    assert forbidden.status_code == 403
    _assert_friendly(forbidden.get_data(as_text=True))
    assert "No access" in forbidden.get_data(as_text=True)
    assert "Agent A" in forbidden.get_data(as_text=True)  # the layout knows who is signed in

    wrong_method = client.delete("/app/events/")
    assert wrong_method.status_code == 405
    assert "GET" in wrong_method.headers["Allow"]
    _assert_friendly(wrong_method.get_data(as_text=True))


def test_413_page_for_a_too_large_form(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/signup", data={"company_name": "x" * (limit + 1)})
    assert response.status_code == 413
    _assert_friendly(response.get_data(as_text=True))
    assert "too large" in response.get_data(as_text=True)


def test_api_paths_keep_json_errors(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_error_pages_are_translated(client):
    russian = client.get("/no/such/page?lang=ru").get_data(as_text=True)
    assert "Страница не найдена" in russian and "Page not found" not in russian
    kazakh = client.get("/no/such/page?lang=kk").get_data(as_text=True)
    assert "Бет табылмады" in kazakh


@pytest.fixture
def fragile_app():
    """An app that does not re-raise exceptions (production behaviour), with pages that fail."""
    app = create_app(TestConfig() | {"PROPAGATE_EXCEPTIONS": False, "WTF_CSRF_ENABLED": True})

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    @app.get("/busy")
    def busy():
        abort(429)

    return app


def test_unexpected_exception_is_a_500_page_in_the_layout_and_logged(fragile_app, caplog):
    client = fragile_app.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    _assert_friendly(html)
    assert "Something went wrong" in html and "kaboom" not in html
    assert any(record.exc_info and "kaboom" in str(record.exc_info[1])
               for record in caplog.records)

    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and "error" in api.get_json()


def test_429_page(fragile_app):
    response = fragile_app.test_client().get("/busy")
    assert response.status_code == 429
    _assert_friendly(response.get_data(as_text=True))
    assert "Wait a minute" in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_says_the_form_expired(fragile_app):
    response = fragile_app.test_client().post("/signup", data={"company_name": "x"})
    assert response.status_code == 400
    _assert_friendly(response.get_data(as_text=True))
    assert "The form has expired" in response.get_data(as_text=True)
