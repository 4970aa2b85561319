"""The ``endpoint`` decorator: auth, request validation and the OpenAPI registry in one place.

The pydantic models that validate a request are the ones the OpenAPI document is
built from, so the two cannot drift apart.
"""
from dataclasses import dataclass, field
from functools import wraps

from flask import Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import ngettext
from pydantic import BaseModel, ValidationError

from app.api import bp, strict_json
from app.errors import (
    Forbidden,
    ServiceError,
    TooLarge,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
)
from app.extensions import limiter


@dataclass
class Operation:
    rule: str
    method: str
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    auth: bool = True
    roles: tuple[str, ...] = ()
    errors: tuple[int, ...] = field(default_factory=tuple)


OPERATIONS: list[Operation] = []


def _fields(exc: ValidationError) -> dict:
    out: dict[str, str] = {}
    for err in exc.errors():
        # A bad key of a map is reported on the map's entry, not on pydantic's "[key]".
        name = ".".join(str(p) for p in err["loc"] if p != "[key]") or "body"
        out.setdefault(name, err["msg"].removeprefix("Value error, "))
    return out


def _check_text(value, name: str = "body") -> None:
    """Refuse text the database can't store: NUL characters and lone surrogates."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(item, str(key))
    elif isinstance(value, list):
        for item in value:
            _check_text(item, name)
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationFailed(fields={name: _("Invalid Unicode text.")}) from None
        if "\x00" in value:
            raise ValidationFailed(fields={name: _("NUL characters are not allowed.")})


def parse_body(model: type[BaseModel]) -> BaseModel:
    limit = current_app.config.get("MAX_JSON_LENGTH", 1024 * 1024)
    if request.content_length and request.content_length > limit:
        raise TooLarge(ngettext("The body is larger than %(num)d byte.",
                                "The body is larger than %(num)d bytes.", limit))
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise TooLarge(ngettext("The body is larger than %(num)d byte.",
                                "The body is larger than %(num)d bytes.", limit))
    # application/json or application/*+json; a form's body has already been read as a form.
    if not request.is_json and (raw.strip() or request.mimetype):
        raise UnsupportedMediaType()
    if not raw.strip():
        # An operation with a body needs one, even if it is just {} (all fields optional).
        needed = _("Send a JSON object as the body.")
        raise ValidationFailed(needed, fields={"body": needed})
    payload = strict_json.load(raw)
    if not isinstance(payload, dict):
        raise ValidationFailed(fields={"body": _("Expected a JSON object.")})
    _check_text(payload)
    return _validate(model, payload)


def parse_query(model: type[BaseModel]) -> BaseModel:
    data = {k: v for k, v in request.args.items() if v != ""}
    return _validate(model, data)


def _validate(model: type[BaseModel], data: dict) -> BaseModel:
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(fields=_fields(exc)) from None
    strict_json.check_integers(parsed.model_dump())
    return parsed


def current_staff():
    staff = g.get("api_staff")
    if staff is None:
        raise Unauthorized(_("A valid bearer token is required."))
    return staff


def endpoint(rule: str, method: str, *, summary: str, tag: str, body=None, query=None,
             response=None, status: int = 200, auth: bool = True, roles: tuple = (),
             errors: tuple = (), rate_limit=None):
    """Register an API operation. The handler gets ``staff``, ``data`` and ``query``
    as keyword arguments when they apply, and returns a dict, (dict, status) or None (204).
    ``rate_limit`` (a Flask-Limiter limit string or callable) counts every call, valid or not."""
    op = Operation(rule, method, summary, tag, body, query, response, status, auth, roles, errors)

    def decorate(fn):
        @wraps(fn)
        def view(**kwargs):
            if auth:
                staff = current_staff()
                if roles and staff.role not in roles:
                    raise Forbidden()
                kwargs["staff"] = staff
            if body is not None:
                kwargs["data"] = parse_body(body)
            if query is not None:
                kwargs["query"] = parse_query(query)
            result = fn(**kwargs)
            if result is None:
                return "", 204
            if isinstance(result, Response):  # a file download, already a full response
                return result
            if isinstance(result, tuple):
                return jsonify(result[0]), result[1]
            return jsonify(result), status

        if rate_limit is not None:
            view = limiter.limit(rate_limit)(view)
        bp.add_url_rule(rule, endpoint=f"{fn.__module__.replace('.', '_')}__{fn.__name__}",
                        view_func=view,
                        methods=[method])
        OPERATIONS.append(op)
        return view

    return decorate


def error_payload(exc: ServiceError) -> dict:
    payload = {"error": {"code": exc.code, "message": str(exc.message)}}
    if exc.fields:
        payload["error"]["fields"] = {k: str(v) for k, v in exc.fields.items()}
    return payload
