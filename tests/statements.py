"""The statements the app sends inside a block, as the server sees them: a DBAPI
executemany counts once per row (SQLAlchemy's "insertmanyvalues" batches, one multi-row
statement, count once), and the test fixture's own statements (its savepoints and role)
are left out."""
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine.interfaces import ExecuteStyle

from app.extensions import db

FIXTURE_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET ROLE")


@contextmanager
def recorded_statements(app, *, skip: tuple = (), width: int = 120):
    """Yield the list the block's statements are added to (each squeezed to one line of at
    most ``width`` characters); statements starting with ``skip`` (upper case) are not
    counted, nor the fixture's."""
    sent: list[str] = []
    left_out = FIXTURE_STATEMENTS + tuple(skip)

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(left_out):
            return
        one_per_row = executemany and context.execute_style is ExecuteStyle.EXECUTEMANY
        for _row in (parameters if one_per_row else [parameters]):
            sent.append(" ".join(statement.split())[:width])

    with app.app_context():
        engine = db.engines["platform"]  # the fixture's one connection comes from it
    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
