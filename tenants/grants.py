"""What the migrations grant to the application and platform roles.

The owner (MIGRATION_DATABASE_URL) owns every table; the roles named in DATABASE_URL and
PLATFORM_DATABASE_URL get data rights only — no ownership, so neither can alter a table or
its row-level security. Run after every upgrade, so new tables are covered.
"""
import re

from sqlalchemy import text
from sqlalchemy.engine import make_url

_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$-]{0,62}$")
_GRANTS = (
    'GRANT USAGE ON SCHEMA {schema} TO "{role}"',
    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO "{role}"',
    'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO "{role}"',
    'REVOKE ALL ON TABLE {schema}.alembic_version FROM "{role}"',
)


def roles_to_grant(config, owner: str) -> list[str]:
    """The login roles of the app's and platform's URLs that are not the owner."""
    roles = []
    for key in ("SQLALCHEMY_DATABASE_URI", "PLATFORM_DATABASE_URI"):
        url = config.get(key)
        if not url or not url.startswith("postgresql"):
            continue
        role = make_url(url).username
        if role and not _ROLE_NAME.match(role):
            raise ValueError(f"unexpected database role name {role!r}")
        if role and role != owner and role not in roles:
            roles.append(role)
    return roles


def grant_to_roles(connection, config) -> list[str]:
    """Grant data rights on every table to the other roles; returns the roles granted."""
    if connection.dialect.name != "postgresql":
        return []
    owner = connection.execute(text("SELECT current_user")).scalar()
    schema = connection.execute(text("SELECT current_schema()")).scalar()
    roles = roles_to_grant(config, owner)
    for role in roles:
        for statement in _GRANTS:
            connection.execute(text(statement.format(schema=schema, role=role)))
    return roles
