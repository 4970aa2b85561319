"""GET /api/v1/openapi.json — built from the registered operations and their schemas."""
import re
from http import HTTPStatus

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.api import bp
from app.api.core import OPERATIONS

REF = "#/components/schemas/{model}"
ERROR_TEXT = {
    400: "Malformed request", 401: "Missing or invalid token", 402: "Plan limit or balance",
    403: "Not allowed for this role", 404: "Not found (also any other tenant's object)",
    409: "Conflict", 413: "Too large",
    415: "The body is not sent as application/json (or application/*+json)",
    422: "Validation error (a missing body too)", 429: "Rate limited",
}


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        kind = "integer" if converter == "int" else "string"
        params.append({"name": name, "in": "path", "required": True, "schema": {"type": kind}})
    return "/api/v1" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), params


def build_document() -> dict:
    models: set[type[BaseModel]] = {m for op in OPERATIONS for m in (op.body, op.response) if m}
    # pydantic names clashing models by module path; use the references it hands out.
    keys, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    refs = {model: schema["$ref"] for (model, _), schema in keys.items()}
    schemas = defs.get("$defs", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        }, "required": ["code", "message"]}},
        "required": ["error"],
    }
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        path, params = _path(op.rule)
        if op.query is not None:
            for name, info in op.query.model_json_schema()["properties"].items():
                params.append({"name": name, "in": "query", "required": False, "schema": info})
        item = {"summary": op.summary, "tags": [op.tag], "operationId": f"{op.method.lower()}"
                f"{re.sub(r'[^A-Za-z0-9]+', '_', path)}", "parameters": params, "responses": {}}
        if op.body is not None:
            item["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": refs[op.body]}}}}
        ok = {"description": "OK"}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": {"$ref": refs[op.response]}}}
        item["responses"][str(op.status)] = ok
        # Any request can be malformed (a NUL character, a bad cursor): 400 is always possible.
        codes = set(op.errors) | {400} | ({413, 415, 422} if op.body else set())
        codes |= {401} if op.auth else set()
        codes |= {403} if op.roles else set()
        codes |= {422} if op.query else set()
        for code in sorted(codes):
            text = ERROR_TEXT.get(code) or HTTPStatus(code).phrase
            item["responses"][str(code)] = {"description": text, "content": {
                "application/json": {"schema": {"$ref": REF.format(model="Error")}}}}
        if not op.auth:
            item["security"] = []
        paths.setdefault(path, {})[op.method.lower()] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": "Help desk API", "version": "1"},
        "servers": [{"url": "/"}],
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
    }


@bp.get("/openapi.json")
def openapi_document():
    return build_document()
