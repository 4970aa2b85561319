"""Cross-tenant value for the customer portal: a working portal token of tenant A.

On tenant A's own address the walker checks that the page shows only A's face to a signed-in
staff member of B; on any other tenant's address the token names nothing (404).
"""
from tests.crosstenant import factory
from tests.crosstenant.tickets import ticket_number
from tests.portal_support import link_of


@factory("token")
def portal_token(api) -> str:
    return link_of(api.client.application, api, ticket_number(api)).rsplit("/", 1)[1]
