"""knowledge base: categories, articles, reader comments and votes, daily deflection figures,
and the search documents

Revision ID: 0009
Revises: 0008

Every table is a tenant table under forced row-level security, with keys that include
``tenant_id`` — but for ``kb_search`` and ``kb_search_text`` on PostgreSQL, which hold each
article's title (for trigram matching) and tsvectors (built with the configuration of the
article's language). Like ``ticket_search`` (0002) they have no row-level security on
purpose: ``@@`` and ``<%`` are not leakproof operators, so under RLS PostgreSQL may not use a
GIN index for them and every search would read all of a tenant's articles. They are written
only by the trigger on ``kb_articles`` below; searches always name the tenant (it is the
first column of every GIN index, through btree_gin) and only return ids that are then read from ``kb_articles``,
which RLS guards. On SQLite an FTS5 table with ``kb_articles`` as its external content,
kept current by triggers, serves the same searches.
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import enable_rls

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NOW = sa.DateTime(timezone=True)
EXTENSIONS = ("pg_trgm", "btree_gin")


def _table(name: str, *columns, keys=(), constraints=(), with_id: bool = True) -> None:
    """A tenant table: ``keys`` are (column, parent table) foreign keys that include
    ``tenant_id``, so a row can't point into another tenant."""
    id_columns = [sa.Column("id", ID, nullable=False)] if with_id else []
    op.create_table(
        name, *id_columns,
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_tenants")),
        *(sa.ForeignKeyConstraint(["tenant_id", column], [f"{parent}.tenant_id", f"{parent}.id"],
                                  ondelete=ondelete,
                                  name=op.f(f"fk_{name}_tenant_id_{column}_{parent}"))
          for column, parent, ondelete in keys),
        *([sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
           sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{name}_tenant_id_id"))]
          if with_id else []),
        *constraints,
    )
    op.create_index(op.f(f"ix_{name}_tenant_id"), name, ["tenant_id"])
    enable_rls(op, name)


def upgrade():
    _table(
        "kb_categories",
        sa.Column("parent_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", NOW, nullable=False),
        keys=[("parent_id", "kb_categories", None)],
        constraints=[sa.UniqueConstraint("tenant_id", "slug",
                                         name=op.f("uq_kb_categories_tenant_id_slug"))],
    )
    _table(
        "kb_articles",
        sa.Column("category_id", sa.BigInteger(), nullable=True),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_markdown", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("featured", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("views", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("helpful_yes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("helpful_no", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
        # The service moves articles out of a category before deleting it; an author is kept
        # (the staff area deactivates someone whose articles remain).
        keys=[("category_id", "kb_categories", None), ("author_id", "staff", None)],
        constraints=[sa.CheckConstraint("language IN ('ru', 'en', 'kk')",
                                        name=op.f("ck_kb_articles_language"))],
    )
    op.create_index("ix_kb_articles_category", "kb_articles", ["tenant_id", "category_id"])
    op.create_index("ix_kb_articles_views", "kb_articles", ["tenant_id", "views"])
    _table(
        "kb_comments",
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("approved_at", NOW, nullable=True),
        keys=[("article_id", "kb_articles", "CASCADE")],
        constraints=[sa.CheckConstraint("status IN ('pending', 'approved')",
                                        name=op.f("ck_kb_comments_status"))],
    )
    op.create_index("ix_kb_comments_article", "kb_comments", ["tenant_id", "article_id", "id"])
    op.create_index("ix_kb_comments_status", "kb_comments", ["tenant_id", "status", "id"])
    _table(
        "kb_feedback",
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        keys=[("article_id", "kb_articles", "CASCADE")],
    )
    op.create_index("ix_kb_feedback_article", "kb_feedback", ["tenant_id", "article_id", "id"])
    _table(
        "kb_daily_figures",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        with_id=False,
        constraints=[sa.PrimaryKeyConstraint("tenant_id", "day", "kind",
                                             name=op.f("pk_kb_daily_figures"))],
    )
    _table(
        "kb_view_batches",
        sa.Column("batch", sa.String(length=40), nullable=False),
        sa.Column("applied_at", NOW, nullable=False),
        with_id=False,
        constraints=[sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_kb_view_batches"))],
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_search()
    else:
        _sqlite_search()


def _postgresql_search() -> None:
    available = {row[0] for row in op.get_bind().execute(sa.text(
        "SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'btree_gin')"))}
    missing = [name for name in EXTENSIONS if name not in available]
    if missing:
        raise RuntimeError(
            "The knowledge base's search needs the PostgreSQL extensions "
            f"{', '.join(missing)} (package postgresql-contrib); install them and migrate again.")
    for name in EXTENSIONS:  # both are trusted: the database's owner may create them
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
    # Two side tables, both narrow where it counts: the titles (read by the typing and the
    # typo passes, a few hundred rows at a time) apart from the whole texts (read only when
    # the text pass ranks them), so the rows the frequent passes touch stay in memory.
    for name, columns in (("kb_search", "title text NOT NULL, title_document tsvector NOT NULL"),
                          ("kb_search_text", "document tsvector NOT NULL")):
        op.execute(f"""
            CREATE TABLE {name} (
                article_id bigint PRIMARY KEY,
                tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                public boolean NOT NULL,
                language varchar(5) NOT NULL,
                {columns},
                CONSTRAINT fk_{name}_article FOREIGN KEY (tenant_id, article_id)
                    REFERENCES kb_articles (tenant_id, id) ON DELETE CASCADE
            )""")
    op.execute("CREATE INDEX ix_kb_search_text_document ON kb_search_text "
               "USING gin (tenant_id, document)")
    op.execute("CREATE INDEX ix_kb_search_title_document ON kb_search "
               "USING gin (tenant_id, title_document)")
    op.execute("CREATE INDEX ix_kb_search_title ON kb_search "
               "USING gin (tenant_id, title gin_trgm_ops)")
    # The configuration follows the article's language (Kazakh has no stemmer: 'simple').
    op.execute("""
        CREATE FUNCTION kb_search_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE language WHEN 'ru' THEN 'russian'::regconfig
                                 WHEN 'en' THEN 'english'::regconfig
                                 ELSE 'simple'::regconfig END $$""")
    op.execute("""
        CREATE FUNCTION kb_search_index() RETURNS trigger
        LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
        BEGIN
            INSERT INTO kb_search (article_id, tenant_id, public, language, title,
                                   title_document)
            VALUES (NEW.id, NEW.tenant_id, NEW.public AND NOT NEW.draft, NEW.language,
                    NEW.title, to_tsvector(kb_search_config(NEW.language), NEW.title))
            ON CONFLICT (article_id) DO UPDATE SET public = excluded.public,
                language = excluded.language, title = excluded.title,
                title_document = excluded.title_document;
            INSERT INTO kb_search_text (article_id, tenant_id, public, language, document)
            VALUES (NEW.id, NEW.tenant_id, NEW.public AND NOT NEW.draft, NEW.language,
                    setweight(to_tsvector(kb_search_config(NEW.language), NEW.title), 'A')
                    || to_tsvector(kb_search_config(NEW.language), left(NEW.body_text, 200000)))
            ON CONFLICT (article_id) DO UPDATE SET public = excluded.public,
                language = excluded.language, document = excluded.document;
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER kb_articles_search AFTER INSERT OR UPDATE OF title, body_text, language,
            public, draft ON kb_articles FOR EACH ROW EXECUTE FUNCTION kb_search_index()""")


def _sqlite_search() -> None:
    op.execute("CREATE VIRTUAL TABLE kb_articles_fts USING fts5(title, body_text, "
               "content='kb_articles', content_rowid='id', "
               "tokenize='unicode61 remove_diacritics 2')")
    op.execute("""CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
        INSERT INTO kb_articles_fts (rowid, title, body_text)
        VALUES (new.id, new.title, new.body_text); END""")
    op.execute("""CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
        INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text); END""")
    op.execute("""CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF title, body_text
        ON kb_articles BEGIN
        INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text);
        INSERT INTO kb_articles_fts (rowid, title, body_text)
        VALUES (new.id, new.title, new.body_text); END""")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS kb_search")
        op.execute("DROP TABLE IF EXISTS kb_search_text")
        op.execute("DROP TRIGGER IF EXISTS kb_articles_search ON kb_articles")
        op.execute("DROP FUNCTION IF EXISTS kb_search_index()")
        op.execute("DROP FUNCTION IF EXISTS kb_search_config(text)")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS kb_articles_fts_{name}")
        op.execute("DROP TABLE IF EXISTS kb_articles_fts")
    for name in ("kb_view_batches", "kb_daily_figures", "kb_feedback", "kb_comments",
                 "kb_articles", "kb_categories"):
        op.drop_table(name)
