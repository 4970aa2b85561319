"""The operator's console fits a phone: signed in with the operator token, its pages (the
tenants, one tenant, the job queues, the audit log) never scroll sideways at 390 px."""
import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]

TOKEN = "operator-token-for-the-phone-test"
WIDTH = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"""


@pytest.fixture
def operator_token(live_app):
    saved = live_app.config.get("OPERATOR_TOKEN")
    live_app.config["OPERATOR_TOKEN"] = TOKEN
    yield TOKEN
    live_app.config["OPERATOR_TOKEN"] = saved


def test_the_console_fits_a_phone(page, company, operator_token):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/operator/login")
    page.fill("input[name=token]", operator_token)
    page.click("form button.primary")
    page.wait_for_url("**/operator/")
    for path, name in (("/operator/", "operator-tenants"),
                       (f"/operator/tenants/{company.slug}", "operator-tenant"),
                       ("/operator/jobs", "operator-jobs"), ("/operator/audit", "operator-audit")):
        answer = page.goto(path)
        assert answer.status == 200, path
        size = page.evaluate(WIDTH)
        assert size["scroll"] <= size["inner"], (path, size)
        screenshot(page, f"{name}-390")
    page.goto(f"/operator/tenants/{company.slug}")
    assert company.slug in page.content()
