"""Wall three: PostgreSQL row-level security keyed by a per-transaction setting.

Every transaction gets ``app.tenant_id`` through ``set_config(..., true)``; the
``tenant_isolation`` policy compares each row's tenant with it. FORCE makes the policies
bind the tables' owner too.

Three database roles (see README, "Production roles"): the owner runs migrations; the
application role has only DML and no setting it can change opens another tenant; the
platform role has BYPASSRLS. The one setting-based door, ``app.platform = 'on'``, opens
only for the owner (``platform_owner`` policy): that is what lets a single-role install
(the app connecting as the owner) do platform work, and what lets the narrow resolver
functions below, which run as the owner, find the tenant a slug or token names.
"""
from flask import has_app_context
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from tenants import state

_SET = text(
    "SELECT set_config('app.tenant_id', :tenant, true), set_config('app.platform', :platform, true)"
)

# Lookups that run before a tenant is known: name -> (table, tenant column, key column).
# Each becomes a SECURITY DEFINER function ``hd_<name>(key) RETURNS bigint`` that answers
# only the tenant id, so the application role never reads another tenant's row.
RESOLVERS = {
    "tenant_by_slug": ("tenants", "id", "slug"),
    "tenant_by_widget_key": ("tenants", "id", "widget_key"),
    "tenant_by_token_hash": ("api_tokens", "tenant_id", "token_hash"),
    "tenant_by_invitation_hash": ("staff_invitations", "tenant_id", "token_hash"),
    "tenant_by_reset_hash": ("password_resets", "tenant_id", "token_hash"),
    "tenant_by_consent_state": ("gmail_consent_states", "tenant_id", "state_hash"),
}


def _params() -> dict:
    tenant = state.current_tenant_id()
    return {
        "tenant": "" if tenant is None else str(tenant),
        "platform": "on" if state.in_platform_scope() else "off",
    }


# Set in ``session.info`` by a lookup about to begin the transaction: the lookup's own
# statement then carries the settings the transaction starts with (one statement, not two).
_SETTINGS_WITH_LOOKUP = "rls_settings_with_lookup"
# ``session.info`` key: (root transaction, settings) — what the open transaction holds, so the
# same settings are never sent twice (a scope change that changes nothing in the database).
_APPLIED = "rls_applied"


def _record(session, params: dict) -> None:
    session.info[_APPLIED] = (session.get_transaction(), dict(params))


def _holds(session, params: dict) -> bool:
    transaction, applied = session.info.get(_APPLIED, (None, None))
    return transaction is not None and transaction is session.get_transaction() \
        and applied == params


@event.listens_for(Session, "after_begin")
def _on_begin(session, transaction, connection):
    if transaction.nested or connection.dialect.name != "postgresql":
        return  # a savepoint inherits its transaction's settings
    params = _params()
    if not session.info.pop(_SETTINGS_WITH_LOOKUP, False):
        connection.execute(_SET, params)
    session.info[_APPLIED] = (transaction, params)


@event.listens_for(Session, "after_transaction_end")
def _on_end(session, transaction):
    # A savepoint rolled back undoes the settings made inside it: trust nothing recorded.
    if transaction.nested or session.info.get(_APPLIED, (None,))[0] is transaction:
        session.info.pop(_APPLIED, None)


def lookup_statement(session, name: str, *, enter: bool = False) -> tuple:
    """(connection, statement, parameters) calling the resolver ``hd_<name>(:key)`` (with
    ``enter``, ``hd_enter_<name>``, which also sets the tenant it finds). When the
    lookup is what begins the transaction, the statement also applies the settings the
    transaction starts with (no tenant yet): the resolver restores whatever it found, so the
    transaction ends the statement with exactly those settings, whichever runs first."""
    function = f"hd_enter_{name}" if enter else f"hd_{name}"
    connection, began_here = connection_applying_settings(session)
    if not began_here or connection.dialect.name != "postgresql":
        return connection, text(f"SELECT {function}(:key)"), {}
    statement = text(f"SELECT {function}(:key) FROM (SELECT set_config('app.tenant_id', "
                     ":tenant, true), set_config('app.platform', :platform, true)) AS begun")
    return connection, statement, _params()


def connection_applying_settings(session) -> tuple:
    """(connection, began here) for a statement that applies the context's settings itself
    (``set_config`` with ``settings()``, evaluated before any row it touches): when that
    statement is what begins the transaction, nothing else is sent first."""
    session.info[_SETTINGS_WITH_LOOKUP] = True
    try:
        connection = session.connection()
    finally:
        began_here = not session.info.pop(_SETTINGS_WITH_LOOKUP, False)
    return connection, began_here


def settings() -> dict:
    """The ``tenant`` and ``platform`` values the context gives the transaction."""
    return _params()


def entered(session, tenant_id: int) -> None:
    """An entering resolver has set ``tenant_id`` in the open transaction (the platform flag
    as it was): record it, so entering the tenant's scope sends nothing more."""
    _record(session, {"tenant": str(tenant_id), "platform": _params()["platform"]})


def _made_session():
    """The session of this app context if one was made (None: nothing was read or written
    yet, so there is nothing to flush, forget or re-apply — the first transaction applies
    the context as it begins)."""
    if not has_app_context():
        return None
    # ``app.extensions`` builds its session class from ``tenants.database``, which reads the
    # context, which pushes scope changes through this module: ``db`` is looked up when used.
    from app.extensions import db

    scoped = db.session
    return scoped() if scoped.registry.has() else None


def flush_pending() -> None:
    """Write what the session holds while the scope it was made in is still current."""
    session = _made_session()
    if session is not None and (session.new or session.dirty or session.deleted):
        session.flush()


def apply_to_session(*, clear_identity_map: bool = False) -> None:
    """Re-apply the context to the open transaction, if there is one; with
    ``clear_identity_map``, forget every loaded row (the scope changed)."""
    session = _made_session()
    if session is None:
        return
    if clear_identity_map:
        session.expunge_all()
    if not session.in_transaction():
        return  # the next transaction picks the context up in after_begin
    connection = session.connection()
    params = _params()
    if connection.dialect.name == "postgresql" and not _holds(session, params):
        connection.execute(_SET, params)
        _record(session, params)


def policy_sql(table: str, column: str = "tenant_id", *, owner: str) -> list[str]:
    """The statements that wall off ``table`` by tenant (used by migrations)."""
    mine = f"{column} = NULLIF(current_setting('app.tenant_id', true), '')::bigint"
    platform = "current_setting('app.platform', true) = 'on'"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"DROP POLICY IF EXISTS platform_owner ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ({mine}) WITH CHECK ({mine})",
        f'CREATE POLICY platform_owner ON {table} TO "{owner}" USING ({platform}) '
        f"WITH CHECK ({platform})",
    ]


def _owner(op) -> str:
    return op.get_bind().execute(text("SELECT current_user")).scalar()


def enable_rls(op, table: str, column: str = "tenant_id") -> None:
    """Migration helper: enable and force RLS on ``table`` (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in policy_sql(table, column, owner=_owner(op)):
        op.execute(statement)


def create_tenant_table(op, name: str, *columns, keys=(), constraints=()) -> None:
    """Migration helper: a tenant table — an id, ``tenant_id`` (indexed, cascading from the
    tenant), ``columns``, (tenant_id, id) unique for foreign keys to point at, ``keys``
    ((column, parent table) foreign keys that include ``tenant_id``, so a row can't point
    into another tenant), ``constraints``, and forced row-level security."""
    import sqlalchemy as sa  # migrations only: the runtime never builds tables

    op.create_table(
        name,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_tenants")),
        *(sa.ForeignKeyConstraint(["tenant_id", column], [f"{parent}.tenant_id", f"{parent}.id"],
                                  ondelete="CASCADE",
                                  name=op.f(f"fk_{name}_tenant_id_{column}_{parent}"))
          for column, parent in keys),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{name}_tenant_id_id")),
        *constraints,
    )
    op.create_index(op.f(f"ix_{name}_tenant_id"), name, ["tenant_id"])
    enable_rls(op, name)


def resolver_sql(name: str) -> str:
    table, tenant_column, key_column = RESOLVERS[name]
    # The owner's door is opened for this one SELECT and closed again before returning.
    return f"""
        CREATE OR REPLACE FUNCTION hd_{name}(key text) RETURNS bigint
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            previous text := coalesce(current_setting('app.platform', true), '');
            found bigint;
        BEGIN
            PERFORM set_config('app.platform', 'on', true);
            SELECT {tenant_column} INTO found FROM {table} WHERE {key_column} = key LIMIT 1;
            PERFORM set_config('app.platform', previous, true);
            RETURN found;
        END $$"""


def entering_resolver_sql(name: str) -> str:
    """``hd_enter_<name>(key)``: the resolver's answer, also set as the transaction's tenant
    (the request enters it next anyway; this spares it a statement)."""
    return f"""
        CREATE OR REPLACE FUNCTION hd_enter_{name}(key text) RETURNS bigint
        LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
        DECLARE
            found bigint := hd_{name}(key);
        BEGIN
            IF found IS NOT NULL THEN
                PERFORM set_config('app.tenant_id', found::text, true);
            END IF;
            RETURN found;
        END $$"""


def create_resolvers(op, *names: str, entering: bool = True) -> None:
    """Migration helper: (re)create the resolver functions (PostgreSQL only); ``entering``
    adds their ``hd_enter_`` variants."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in names or RESOLVERS:
        op.execute(resolver_sql(name))
        if entering:
            op.execute(entering_resolver_sql(name))
