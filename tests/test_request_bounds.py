"""Every list, map and string a request can carry is bounded, in every operation's models."""
from typing import Any

import pytest
from pydantic import BaseModel, Field

from app.api.core import OPERATIONS

BOUNDED_FORMATS = {"date", "date-time"}


def unbounded(schema: dict, defs: dict, path: str) -> list[str]:
    """The paths in a JSON schema where a value of any size would validate."""
    if "$ref" in schema:
        return unbounded(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, path)
    found: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found += unbounded(part, defs, path)
    if any(key in schema for key in ("anyOf", "oneOf", "allOf", "enum", "const")):
        return found
    kind = schema.get("type")
    if kind is None:
        return [f"{path}: any value"]
    if kind == "string" and "maxLength" not in schema and schema.get(
            "format") not in BOUNDED_FORMATS:
        found.append(f"{path}: string without maxLength")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{path}: list without max_length")
        found += unbounded(schema.get("items", {}), defs, f"{path}[]")
    if kind == "object":
        for name, sub in schema.get("properties", {}).items():
            found += unbounded(sub, defs, f"{path}.{name}")
        extra = schema.get("additionalProperties")
        if "properties" not in schema or extra not in (None, False):
            if "maxProperties" not in schema:
                found.append(f"{path}: map without max_length")
            keys = {"type": "string"} | schema.get("propertyNames", {})
            found += unbounded(keys, defs, f"{path} keys")
            found += unbounded(extra if isinstance(extra, dict) else {}, defs, f"{path}{{}}")
    return found


def model_problems(model: type[BaseModel]) -> list[str]:
    schema = model.model_json_schema()
    return unbounded(schema, schema.get("$defs", {}), model.__name__)


def test_the_walker_finds_each_kind_of_unbounded_field():
    class Loose(BaseModel):
        ids: list[int]
        names: list[str] = Field(max_length=3)
        extra: dict[str, int] = Field(max_length=3)
        blob: Any = None
        note: str | None = None

    problems = "\n".join(model_problems(Loose))
    for expected in ("Loose.ids: list", "Loose.names[]: string", "Loose.extra keys: string",
                     "Loose.blob: any value", "Loose.note: string"):
        assert expected in problems


def test_every_request_model_is_bounded(app):
    models = {model for op in OPERATIONS for model in (op.body, op.query) if model}
    assert len(models) > 30  # the whole API is registered
    problems = [p for model in sorted(models, key=lambda m: m.__name__)
                for p in model_problems(model)]
    assert problems == []


@pytest.mark.parametrize("field", ["attachment_ids", "tags"])
def test_oversized_lists_are_422_before_the_database(tenant_a, field):
    body = {"subject": "Many", "requester": {"email": "many@example.com"},
            field: list(range(1, 100_001)) if field == "attachment_ids"
            else [f"t{i}" for i in range(10_000)]}
    response = tenant_a.post("/tickets", body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
