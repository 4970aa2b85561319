"""The REST API v1: JSON in and out, bearer tokens, errors with codes, OpenAPI from the schemas."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
