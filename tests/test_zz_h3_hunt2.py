import collections, os
from hypothesis import settings
import tests.test_schemathesis as t
from tests.test_schemathesis import admin, api_schema, db  # noqa

def test_hunt_stateful(app, api_schema, admin):
    codes = collections.Counter()
    connection = db.session.session_factory.kw["bind"]
    redis = app.extensions["redis"]
    class W(api_schema.as_state_machine()):
        def setup(self):
            self.savepoint = connection.begin_nested(); redis.flushdb()
        def teardown(self):
            self.savepoint.rollback()
        def get_call_kwargs(self, case):
            return {"headers": admin}
        def after_call(self, response, case):
            codes[(case.operation.label, response.status_code)] += 1
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=t.CHECKS, headers=admin)
    try:
        W.run(settings=settings(t.BOUNDED, max_examples=int(os.environ.get("HUNT_N", "100")), stateful_step_count=10, derandomize=False))
    finally:
        for k, v in sorted(codes.items()): print(k, v)
