"""What one ticket creation through the API costs the database, so the cost cannot creep back.

Statements are counted at the cursor (everything the app sends, Core and ORM alike);
transactions through the session's ``after_begin``. The test fixture's own statements
(savepoints that stand in for commits, ``SET ROLE`` for the two database roles) are not the
app's and are left out.
"""
import pytest
from sqlalchemy import event

from app.extensions import db
from tests.test_tickets_support import new_ticket

# The target is at most 10 statements per API ticket creation; this ceiling is what the
# write path reaches today, lowered as it gets cheaper, never raised.
MAX_STATEMENTS = 6
_FIXTURE_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET ROLE")


@pytest.fixture
def cost(app):
    """Record the statements and transactions of what runs inside the block."""
    statements, transactions = [], []

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_FIXTURE_STATEMENTS):
            # executemany sends the statement once per row: the server sees each of them
            for _row in (parameters if executemany else [parameters]):
                statements.append(" ".join(statement.split())[:120])

    def on_begin(session, transaction, connection):
        if not transaction.nested:  # a savepoint (a requester's race guard) is no transaction
            transactions.append(transaction)

    with app.app_context():
        engine = db.engines["platform"]  # the fixture's one connection comes from it
    session = db.session  # the fixture's scoped session, one per app context
    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(session, "after_begin", on_begin)
    try:
        yield statements, transactions
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(session, "after_begin", on_begin)


def test_ticket_creation_through_the_api_is_cheap(tenant_a, cost):
    # A first ticket warms what is cached across requests; the second is the common path.
    new_ticket(tenant_a, requester={"email": "first@client.example"})
    statements, transactions = cost
    statements.clear()
    transactions.clear()
    body = new_ticket(tenant_a, requester={"email": "second@client.example", "name": "Sec"})
    assert body["number"] == 2 and body["messages"][0]["author"]["name"] == "Sec"
    listing = "\n".join(statements)
    assert len(statements) <= MAX_STATEMENTS, f"{len(statements)} statements:\n{listing}"
    assert len(transactions) == 1, f"{len(transactions)} transactions:\n{listing}"
