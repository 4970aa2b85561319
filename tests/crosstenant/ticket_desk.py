"""Cross-tenant walker values for the ticket desk pages' non-object URL parts.

``field`` and ``action`` name what to do, not an object; the ticket number in the same
URL is tenant A's, so tenant B must still get a 404.
"""
from tests.crosstenant import factory


@factory("field")
def quick_field(api) -> str:
    return "status"


@factory("action")
def housekeeping_action(api) -> str:
    return "trash"
