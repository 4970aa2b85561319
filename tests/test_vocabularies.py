"""Each fixed vocabulary is defined once: the OpenAPI document's enums are the constants."""
from app.api.openapi import build_document
from app.languages import LANGUAGES
from app.staff.models import ACCESS_LEVELS, ROLES
from app.tickets.constants import (
    FIELD_KINDS,
    MESSAGE_AUTHORS,
    PRIORITIES,
    STATUSES,
    TYPES,
)

# (schema, property) → the constant its enum must equal; properties not listed here with an
# enum are reported, so a new copy of a vocabulary can't slip in unchecked.
EXPECTED = {
    "status": STATUSES, "priority": PRIORITIES, "type": TYPES, "role": ROLES,
    "access": ACCESS_LEVELS, "FieldIn.kind": FIELD_KINDS, "FieldOut.kind": FIELD_KINDS,
    "Author.kind": MESSAGE_AUTHORS, "language": LANGUAGES,
}
# Vocabularies that are not the ticket's or the staff's own (a message's format).
OTHERS = {"body_format"}


def _enums(node):
    if not isinstance(node, dict):
        return
    if "enum" in node:
        yield node["enum"]
    for key in ("anyOf", "items"):
        value = node.get(key)
        for child in value if isinstance(value, list) else [value]:
            yield from _enums(child)


def test_openapi_enums_are_the_constants(app):
    with app.test_request_context():
        schemas = build_document()["components"]["schemas"]
    seen = set()
    for name, schema in schemas.items():
        for prop, body in schema.get("properties", {}).items():
            for enum in _enums(body):
                key = f"{name}.{prop}" if f"{name}.{prop}" in EXPECTED else prop
                if prop in OTHERS:
                    continue
                assert key in EXPECTED, f"{name}.{prop}: an enum with no constant behind it"
                assert tuple(enum) == EXPECTED[key], f"{name}.{prop}"
                seen.add(key)
    assert seen == set(EXPECTED)



def test_every_api_model_has_a_name_of_its_own(client):
    """Two areas' models of one name (say two ``MessageIn``) would make pydantic rename both
    after their modules, silently changing the names the document already published."""
    from app.api.core import OPERATIONS

    models = {m for op in OPERATIONS for m in (op.body, op.response) if m}
    by_name: dict[str, set[str]] = {}
    for model in models:
        by_name.setdefault(model.__name__, set()).add(model.__module__)
    assert {name: mods for name, mods in by_name.items() if len(mods) > 1} == {}
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert [name for name in schemas if "__" in name] == []
