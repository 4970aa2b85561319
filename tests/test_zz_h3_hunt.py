import os
from hypothesis import settings
import tests.test_schemathesis as t
from tests.test_schemathesis import admin, api_schema, objects  # noqa

N = int(os.environ.get("HUNT_N", "30"))

def test_hunt_ops(api_schema, admin, objects):
    t.BOUNDED = settings(t.BOUNDED, max_examples=N, derandomize=False)
    try:
        t.test_every_operation_answers_as_documented(api_schema, admin, objects)
    except AssertionError as e:
        print(e)
        raise
