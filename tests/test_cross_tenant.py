"""Tenant B never reaches tenant A's objects: every route with an object id answers 404.

The routes are read from the app's URL map, so routes added later are walked too.
"""
import re

import pytest

from app import create_app
from app.config import TestConfig
from tests.conftest import STRONG_PASSWORD
from tests.crosstenant import load_all

FACTORIES = load_all()
# Arguments with no tenant object behind them: static files, tenant login pages, a website
# widget's key, and secret tokens (an invitation link) whose possession is the authorization.
PUBLIC_ARGS = {"filename", "slug", "token", "key"}


def _routes():
    app = create_app(TestConfig())
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments) - set(rule.defaults or {})
        if not args or args <= PUBLIC_ARGS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield pytest.param(rule.rule, method, sorted(args), id=f"{method} {rule.rule}")


ROUTES = list(_routes())


def _slug_routes():
    app = create_app(TestConfig())
    for rule in app.url_map.iter_rules():
        if "slug" in rule.arguments and not rule.rule.startswith("/static"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield pytest.param(rule.rule, method, sorted(set(rule.arguments) - {"slug"}),
                                   id=f"{method} {rule.rule}")


SLUG_ROUTES = list(_slug_routes())


def _fill(rule: str, values: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def _login(client, slug: str, email: str) -> None:
    response = client.post(f"/t/{slug}/login", data={"email": email,
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302, "tenant B's admin could not log in"


def test_walker_found_routes():
    assert len(ROUTES) >= 10


@pytest.mark.parametrize(("rule", "method", "args"), ROUTES)
def test_other_tenant_gets_404(app, client, signup, rule, method, args):
    missing = [a for a in args if a not in FACTORIES and a not in ("slug", "key")]
    assert not missing, f"no cross-tenant factory for {missing}: add one in tests/crosstenant/"
    api_a, _ = signup()
    api_b, body_b = signup()
    # A public page's address (``slug``, a widget ``key``) is B's own: B's address with A's
    # objects is a 404.
    values = {arg: FACTORIES[arg](api_a) for arg in args if arg not in ("slug", "key")} | {
        "slug": body_b["tenant"]["slug"]}
    if "key" in args:
        values["key"] = api_b.get("/tenant").get_json()["widget_key"]
    url = _fill(rule, values)
    if rule.startswith("/api/"):
        response = api_b.call(method, url.removeprefix("/api/v1"), json={})
    else:
        slug = body_b["tenant"]["slug"]
        _login(client, slug, f"admin@{slug}.example")
        response = client.open(url, method=method, data={})
    assert response.status_code == 404, f"{method} {url} gave {response.status_code}"


def test_walker_found_slug_routes():
    assert any("/t/<slug>/login" in p.values[0] for p in SLUG_ROUTES)


@pytest.mark.parametrize(("rule", "method", "args"), SLUG_ROUTES)
def test_a_tenants_public_page_shows_nothing_of_another_session(app, client, signup, rule,
                                                                method, args):
    """A page named by tenant A's address, opened by a signed-in staff member of tenant B,
    shows A's public face only: nothing computed from B's session (name, banners, data)."""
    api_a, body_a = signup(company_name="Alpha Public Face")
    _api_b, body_b = signup(company_name="Bravo Private Session")
    missing = [a for a in args if a not in FACTORIES]
    assert not missing, f"no cross-tenant factory for {missing}: add one in tests/crosstenant/"
    values = {arg: FACTORIES[arg](api_a) for arg in args} | {"slug": body_a["tenant"]["slug"]}
    slug_b = body_b["tenant"]["slug"]
    _login(client, slug_b, f"admin@{slug_b}.example")
    response = client.open(_fill(rule, values), method=method, data={})
    html = response.get_data(as_text=True)
    assert response.status_code < 500, f"{method} {rule} gave {response.status_code}"
    assert "Bravo Private Session" not in html and slug_b not in html
    if response.status_code == 200 and response.mimetype == "text/html":
        assert "Alpha Public Face" in html
