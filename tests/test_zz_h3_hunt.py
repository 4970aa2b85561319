import os
from hypothesis import settings
import tests.test_schemathesis as t
from tests.test_schemathesis import admin, api_schema  # noqa

N = int(os.environ.get("HUNT_N", "30"))

def test_hunt_ops(api_schema, admin):
    t.BOUNDED = settings(t.BOUNDED, max_examples=N, derandomize=False)
    ops = [r.ok() for r in api_schema.get_all_operations()]
    failures = [f for op in ops for mode in (t.GenerationMode.POSITIVE, t.GenerationMode.NEGATIVE)
                if (f := t.run(op, mode, admin))]
    print("\n\n".join(failures))
    assert not failures

def test_hunt_stateful(app, api_schema, admin):
    t.BOUNDED = settings(t.BOUNDED, max_examples=N * 3, derandomize=False)
    t.test_workflows_along_the_links_answer_as_documented(app, api_schema, admin)
