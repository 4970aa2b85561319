"""Schemathesis against the API's own OpenAPI document: no 5xx, and every response is one
the document declares, in the shape it declares.

Bounded in time: a few derandomized examples per operation and mode (the same cases on
every run, so a failure here is a finding, never noise). The cases are driven through
Hypothesis directly, one operation at a time, calling the app in-process (WSGI). Random
ids mostly name nothing, so each operation with ids in its path also runs against one
real object of each kind.
"""
import io
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.attachments.storage import LocalStorage
from app.extensions import db
from tests.crosstenant.gmail import log_entry_id
from tests.crosstenant.tickets import PNG
from tests.fakes.stripe_server import FakeStripe
from tests.kb_support import article as kb_article
from tests.kb_support import comment as kb_comment

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
BOUNDED = settings(max_examples=4, deadline=None, derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck))


@pytest.fixture
def api_schema(app, tmp_path):
    """The document as served; top-ups go to the local fake Stripe, as in production they
    go to Stripe (without one configured they are a deliberate 503)."""
    saved = {key: app.config.get(key) for key in ("STRIPE_API_KEY", "STRIPE_API_BASE")}
    storage = app.extensions.get("attachment_storage")
    app.extensions["attachment_storage"] = LocalStorage(tmp_path / "files")
    with FakeStripe() as stripe:
        app.config.update(STRIPE_API_KEY=stripe.api_key, STRIPE_API_BASE=stripe.url)
        try:
            yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        finally:
            app.config.update(saved)
            app.extensions["attachment_storage"] = storage


@pytest.fixture
def admin(signup):
    return signup()[0]


def created(response, key: str = "id"):
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()[key]


@pytest.fixture
def objects(admin) -> dict:
    """One object of each kind, by the name of the path parameter that addresses it."""
    department = created(admin.post("/departments", {"name": "Seeded"}))
    ticket = {"subject": "Seeded", "body": "Hello", "requester": {"email": "seed@example.com"}}
    upload = admin.client.post("/api/v1/attachments", data={"file": (io.BytesIO(PNG), "a.png")},
                               headers={"Authorization": f"Bearer {admin.token}"},
                               content_type="multipart/form-data")
    article = kb_article(admin, "Seeded article")
    agent = created(admin.post("/staff", {"name": "Seeded Agent", "role": "agent",
                                          "email": "agent@seed.example",
                                          "password": "Correct-horse-42"}))
    assert admin.post("/billing/addons", {"addon": "internal_mail"}).status_code == 201
    return {
        "department_id": department,
        "staff_id": agent,
        "conversation_id": created(admin.post("/internal/conversations", {
            "subject": "Seeded", "body": "Hello", "participants": [agent]})),
        "number": created(admin.post("/tickets", ticket), "number"),
        "other_number": created(admin.post("/tickets", ticket), "number"),
        "customer_id": created(admin.post("/customers", {"email": "cust@seed.example"})),
        "organization_id": created(admin.post("/organizations", {"name": "Seeded Org"})),
        "field_id": created(admin.post("/custom-fields", {"key": "plan", "label": "Plan",
                                                          "kind": "text"})),
        "response_id": created(admin.post("/responses", {"name": "Seeded", "body": "Hi"})),
        "rule_id": created(admin.post("/routing/rules", {
            "name": "Seeded", "actions": {"department_id": department}})),
        "holiday_id": created(admin.post("/sla/holidays", {"day": "2031-01-07"})),
        "token_id": created(admin.post("/tokens", {"name": "Seeded"})),
        "attachment_id": created(upload),
        "addon": "internal_mail",
        "article_id": article["id"],
        "category_id": created(admin.post("/kb/categories", {"name": "Seeded"})),
        "comment_id": kb_comment(admin, article["id"]),
        "entry_id": log_entry_id(admin),  # an ingestion-log entry (no Google behind it)
        "message_id": admin.get("/tickets/1").get_json()["messages"][0]["id"],
    }


def run(operation, mode: GenerationMode, headers: dict, path: dict | None = None) -> str | None:
    """None, or what went wrong on the first failing case."""
    @BOUNDED
    @given(case=operation.as_strategy(mode, path_parameters=path))
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    connection = db.session.session_factory.kw["bind"]
    savepoint = connection.begin_nested()  # each operation meets the same objects
    try:
        check()
    except (Exception, BaseExceptionGroup) as exc:  # every operation's failure is reported
        lines = [line[:300] for line in str(exc).splitlines() if line.strip()]
        return f"{operation.label} [{mode.value}]:\n  " + "\n  ".join(lines[:12])
    finally:
        savepoint.rollback()
    return None


def test_every_operation_answers_as_documented(api_schema, admin, objects):
    headers = {"Authorization": f"Bearer {admin.token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 70
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.append(run(operation, mode, headers))
        names = re.findall(r"{(\w+)}", operation.path)
        if names:
            failures.append(run(operation, GenerationMode.POSITIVE, headers,
                                {name: objects[name] for name in names}))
    failures = [failure for failure in failures if failure]
    assert not failures, "\n\n".join(failures)


def test_workflows_along_the_links_answer_as_documented(app, api_schema, admin):
    """Sequences of calls where one response feeds the next (create a department, then
    read, change, delete it; add a customer, then open its tickets ...), along the links
    schemathesis infers from the document."""
    headers = {"Authorization": f"Bearer {admin.token}"}
    # Each scenario starts from the same data, or Hypothesis sees one scenario take two paths.
    connection = db.session.session_factory.kw["bind"]
    redis = app.extensions["redis"]

    class Workflows(api_schema.as_state_machine()):
        def setup(self):
            self.savepoint = connection.begin_nested()
            redis.flushdb()  # rate limits

        def teardown(self):
            self.savepoint.rollback()

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Workflows.run(settings=settings(BOUNDED, max_examples=30, stateful_step_count=8))
