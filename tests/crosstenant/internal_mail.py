"""Cross-tenant value for internal mail: a conversation of tenant A's staff."""
from tests.crosstenant import factory
from tests.internal_mail_support import conversation


@factory("conversation_id")
def conversation_id(api) -> int:
    return conversation(api)["id"]
