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
# Arguments with no tenant object behind them: static files, tenant login pages, and secret
# tokens (an invitation link) whose possession is the authorization.
PUBLIC_ARGS = {"filename", "slug", "token"}


def _routes():
    app = create_app(TestConfig())
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments) - set(rule.defaults or {})
        if not args or args <= PUBLIC_ARGS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield pytest.param(rule.rule, method, sorted(args), id=f"{method} {rule.rule}")


ROUTES = list(_routes())


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
    missing = [a for a in args if a not in FACTORIES]
    assert not missing, f"no cross-tenant factory for {missing}: add one in tests/crosstenant/"
    api_a, _ = signup()
    api_b, body_b = signup()
    values = {arg: FACTORIES[arg](api_a) for arg in args}
    url = _fill(rule, values)
    if rule.startswith("/api/"):
        response = api_b.call(method, url.removeprefix("/api/v1"), json={})
    else:
        slug = body_b["tenant"]["slug"]
        _login(client, slug, f"admin@{slug}.example")
        response = client.open(url, method=method, data={})
    assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
