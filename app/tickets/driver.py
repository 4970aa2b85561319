"""The service's list statements run straight on the driver of the session's own connection.

A list's statement is built once per shape of filters (``app.tickets.listing``), yet each run
through SQLAlchemy's ``execute`` still pays for an execution context, the parameters'
processing, a cursor result and a row object per row: on a short page, as much as the query
itself. On PostgreSQL with psycopg, ``fetch`` compiles each statement once to its SQL for the
dialect and runs it on a cursor of the connection the session already holds (the one whose
transaction carries the tenant setting: row-level security applies as before), prepared on the
server, results in binary (the server sends a timestamp as eight bytes instead of formatting
it as text), and plain tuples out. A statement run ``generic`` is sent with the setting that
has PostgreSQL use its generic plan, in the same round trip (a pipeline: the setting, the
statement, the session's default again).

What SQLAlchemy's own execute does around the driver call is kept: the engine's cursor events
fire (statement counters and the benchmarks see every query; the plan setting sent around a
``generic`` run is not reported), an error of the driver is
wrapped and handled as SQLAlchemy's would be (a lost connection is invalidated), and a
parameter or column type with a processor is processed. Other databases and drivers (SQLite,
the embedded default), and an engine that logs its statements, keep SQLAlchemy's execute.
"""
from functools import lru_cache

from sqlalchemy import Connection, Executable


def direct(connection: Connection) -> bool:
    """Whether ``fetch`` can run statements on ``connection``."""
    return connection.dialect.driver == "psycopg" and not connection._echo


class _Compiled:
    """A statement compiled once for a dialect: its SQL, what its parameters and columns
    need, and the column keys a result of it has."""

    __slots__ = ("compiled", "keys", "late", "prepare", "processors", "results", "sql")

    def __init__(self, stmt: Executable, dialect):
        compiled = stmt.compile(dialect=dialect)
        self.compiled = compiled
        self.sql = compiled.string
        columns = compiled._result_columns
        self.keys = tuple(column.keyname for column in columns)
        # A column type whose values need converting (none of the ticket columns' on
        # psycopg, but a statement may grow one): a processor per column, else None.
        processors = [column.type._cached_result_processor(dialect, None) for column in columns]
        self.results = processors if any(processors) else None
        self.processors = compiled._bind_processors
        # IN lists and values written into the SQL: the text is made for each run's values.
        self.late = bool(compiled.post_compile_params or compiled.literal_execute_params)
        # Prepared on the server from the first run (the driver itself waits for five runs of
        # the same text, parsing it each time). A value written into the SQL makes a new
        # statement for every value: never prepared, it would only push the statements that
        # repeat out of the driver's cache.
        self.prepare = not compiled.literal_execute_params

    def bound(self, values: dict) -> tuple[str, dict]:
        """The SQL and the driver's parameters for ``values`` (by parameter name)."""
        compiled = self.compiled
        if self.late:
            state = compiled.construct_expanded_state(values, escape_names=False)
            sql, params = state.statement, state.parameters
            processors = {**self.processors, **state.processors}
        else:
            sql, params = self.sql, compiled.construct_params(values, escape_names=False)
            processors = self.processors
        for key, process in processors.items():
            if key in params:
                params[key] = process(params[key])
        escaped = compiled.escaped_bind_names
        if escaped:
            params = {escaped.get(key, key): value for key, value in params.items()}
        return sql, params

    def converted(self, rows: list) -> list:
        if self.results is None:
            return rows
        processors = self.results
        return [tuple(value if process is None else process(value)
                      for process, value in zip(processors, row, strict=True))
                for row in rows]


@lru_cache(maxsize=2048)
def _compiled(stmt: Executable, dialect) -> _Compiled:
    # Keyed by the statement object itself: the service's statements are built once per
    # shape and kept (``listing._prepared``), so a run finds its compiled form at once.
    return _Compiled(stmt, dialect)


# A list page's statement on its generic plan: set for the statement alone, in the same round
# trip (the setting is the transaction's, and then the session's default again).
_GENERIC = "SET LOCAL plan_cache_mode = force_generic_plan"
_DEFAULT = "RESET plan_cache_mode"


def fetch(connection: Connection, stmt: Executable, values: dict, *,
          generic: bool = False) -> tuple[tuple, list]:
    """(the column keys, the rows as tuples) of ``stmt`` for ``values``, run on
    ``connection``'s driver connection (see ``direct``). ``generic``: on the prepared
    statement's generic plan (see ``app.tickets.listing``), the setting sent with it."""
    compiled = _compiled(stmt, connection.dialect)
    sql, params = compiled.bound(values)
    events = connection._has_events or connection.engine._has_events
    cursor = None
    try:
        driver = connection.connection.driver_connection
        cursor = driver.cursor(binary=True)
        if events:
            for listener in connection.dispatch.before_cursor_execute:
                sql, params = listener(connection, cursor, sql, params, None, False)
        if generic and compiled.prepare:
            with driver.pipeline():  # the three go together: one round trip
                driver.execute(_GENERIC)
                cursor.execute(sql, params, prepare=True)
                driver.execute(_DEFAULT)
        else:
            cursor.execute(sql, params, prepare=compiled.prepare)
        if events:
            connection.dispatch.after_cursor_execute(connection, cursor, sql, params, None,
                                                     False)
        rows = cursor.fetchall()
        cursor.close()
    except BaseException as error:  # wrapped, handled and raised as SQLAlchemy does
        connection._handle_dbapi_exception(error, sql, params, cursor, None)
    return compiled.keys, compiled.converted(rows)
