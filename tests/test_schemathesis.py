"""Schemathesis against the API's own OpenAPI document: no 5xx, and every response is one
the document declares, in the shape it declares.

Bounded in time: a few derandomized examples per operation and mode (the same cases on
every run, so a failure here is a finding, never noise). The cases are driven through
Hypothesis directly, one operation at a time, calling the app in-process (WSGI).
"""
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

from app.extensions import db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
BOUNDED = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck))


@pytest.fixture
def admin(signup):
    api, _ = signup()
    return {"Authorization": f"Bearer {api.token}"}


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def run(operation, mode: GenerationMode, headers: dict) -> str | None:
    """None, or what went wrong on the first failing case."""
    @BOUNDED
    @given(case=operation.as_strategy(mode))
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        check()
    except (Exception, BaseExceptionGroup) as exc:  # every operation's failure is reported
        lines = [line[:300] for line in str(exc).splitlines() if line.strip()]
        return f"{operation.label} [{mode.value}]:\n  " + "\n  ".join(lines[:12])
    return None


def test_every_operation_answers_as_documented(api_schema, admin):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 70
    failures = [failure for operation in operations
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
                if (failure := run(operation, mode, admin))]
    assert not failures, "\n\n".join(failures)


def test_workflows_along_the_links_answer_as_documented(app, api_schema, admin):
    """Sequences of calls where one response feeds the next (create a department, then
    read, change, delete it; open a ticket, then reply, merge, link it ...), along the links
    schemathesis infers from the document."""

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
            return {"headers": admin}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=admin)

    Workflows.run(settings=settings(BOUNDED, max_examples=25, stateful_step_count=8))
