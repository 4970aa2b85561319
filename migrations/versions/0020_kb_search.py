"""knowledge-base search at scale: one function that searches, row-level security on the
search tables, GIN indexes without a pending list and with the language, the newest titles
for frequent words, and a word list of titles for typos

Revision ID: 0020
Revises: 0014

PostgreSQL only (the SQLite FTS5 table of 0009 is unchanged).

- The search tables get row-level security after all (0009 left them without): the
  application role reads only its tenant's rows. Not forced, because under RLS ``@@`` and
  ``%`` (not leakproof) could not use an index: searches go through ``kb_search_find``, a
  SECURITY DEFINER function whose owner owns the tables, which reads the tenant from the
  transaction's ``app.tenant_id`` as the policies do and answers ids, best first, nothing
  else (``kb_articles``, under forced RLS, gives the rest). It also runs with the settings a
  search wants (no sequential scans, parallel workers or JIT), which end with it.
- The GIN indexes keep no pending list (``fastupdate = off``): with one, every new article
  lands in an unsorted list (up to ``gin_pending_list_limit``) that every search reads whole
  until a vacuum merges it. They also hold the language, so a search in one language never
  reads the matches in the others only to drop them.
- A GIN index answers with every match at once: for a word in a fifth of 100,000 titles
  that is a bitmap of 20,000 rows, to find 300 candidates. So the title passes first read
  the tenant's 600 newest titles in order (``ix_kb_search_newest``, a bounded cost of a few
  hundred microseconds); when a third of the candidates wanted are there, the words are
  frequent and those are ranked, else the GIN index is asked, where the words are rare and
  the bitmap small.
- ``kb_search_words``: the distinct words of each tenant's titles (lower case, from the
  'simple' configuration), kept by a trigger on ``kb_search``. Typos are looked up there
  through a trigram index — a typed word is compared with the tenant's vocabulary rather
  than with every title — and the titles holding the closest words are found after. A word
  whose last title is gone stays and simply leads to no title. The trigram index on titles
  goes.
"""
from alembic import op

from tenants.rls import policy_sql

revision = "0020"
down_revision = "0014"
branch_labels = None
depends_on = None

SEARCH_TABLES = ("kb_search", "kb_search_text", "kb_search_words")
DOCUMENT_INDEXES = {"ix_kb_search_title_document": ("kb_search", "title_document"),
                    "ix_kb_search_text_document": ("kb_search_text", "document")}
FUNCTIONS = ("kb_search_find(text[], text, boolean, integer)",
             "kb_search_query(regconfig[], text, boolean)",
             "kb_search_title_words(text)")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for index, (table, column) in DOCUMENT_INDEXES.items():
        op.execute(f"DROP INDEX {index}")
        op.execute(f"CREATE INDEX {index} ON {table} USING gin (tenant_id, language, {column}) "
                   "WITH (fastupdate = off)")
    op.execute("DROP INDEX IF EXISTS ix_kb_search_title")
    # The newest titles, read in order with all a title pass needs (an index-only scan).
    op.execute("CREATE INDEX ix_kb_search_newest ON kb_search (tenant_id, article_id DESC) "
               "INCLUDE (public, language, title_document)")
    _word_list()
    owner = op.get_bind().exec_driver_sql("SELECT current_user").scalar()
    for table in SEARCH_TABLES:
        for statement in policy_sql(table, owner=owner):
            if "FORCE" not in statement:  # the owner's function must keep its indexes
                op.execute(statement)
    for statement in (QUERY, FIND):
        op.execute(statement)


def _word_list() -> None:
    op.execute("""
        CREATE FUNCTION kb_search_title_words(title text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT ARRAY(SELECT word FROM unnest(tsvector_to_array(to_tsvector('simple', title)))
                         AS word WHERE length(word) BETWEEN 3 AND 60) $$""")
    op.execute("""
        CREATE TABLE kb_search_words (
            tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            word text NOT NULL,
            CONSTRAINT pk_kb_search_words PRIMARY KEY (tenant_id, word)
        )""")
    op.execute("""
        CREATE FUNCTION kb_search_words_add() RETURNS trigger
        LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
        BEGIN
            INSERT INTO kb_search_words (tenant_id, word)
            SELECT NEW.tenant_id, word FROM unnest(kb_search_title_words(NEW.title)) AS word
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER kb_search_words AFTER INSERT OR UPDATE OF title ON kb_search
            FOR EACH ROW EXECUTE FUNCTION kb_search_words_add()""")
    op.execute("""
        INSERT INTO kb_search_words (tenant_id, word)
        SELECT DISTINCT tenant_id, word
        FROM kb_search, unnest(kb_search_title_words(title)) AS word""")
    op.execute("CREATE INDEX ix_kb_search_words_word ON kb_search_words "
               "USING gin (tenant_id, word gin_trgm_ops) WITH (fastupdate = off)")


# The tsquery of ``input`` under each configuration, ORed, each distinct one once; NULL when
# none has a lexeme (only stop words). ``plain``: words as they are, no tsquery syntax.
QUERY = """
    CREATE FUNCTION kb_search_query(configs regconfig[], input text, plain boolean)
    RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT string_agg(DISTINCT q, ' | ' ORDER BY q)::tsquery
        FROM (SELECT '(' || (CASE WHEN plain THEN plainto_tsquery(c, input)
                                  ELSE to_tsquery(c, input) END)::text || ')' AS q
              FROM unnest(configs) AS c) AS each_config
        WHERE q <> '()' $$"""

_FILTERS = """AND (internal OR s.public)
                          AND (query_language IS NULL OR s.language = query_language)"""

# The tenant's 600 newest titles holding ``query`` (published, in the language, as asked):
# ids into ``newest_ids``, title documents into ``newest_docs``. The planner may use the
# ordered index here only, where the number of rows read is bounded.
_NEWEST_TITLES = """
            PERFORM set_config('enable_indexscan', 'on', true);
            PERFORM set_config('enable_indexonlyscan', 'on', true);
            SELECT array_agg(s.article_id), array_agg(s.title_document)
            INTO newest_ids, newest_docs
            FROM (SELECT n.article_id, n.title_document, n.public, n.language
                  FROM kb_search AS n WHERE n.tenant_id = tenant
                  ORDER BY n.article_id DESC LIMIT 600) AS s
            WHERE s.title_document @@ {query} {filters};
            PERFORM set_config('enable_indexscan', 'off', true);
            PERFORM set_config('enable_indexonlyscan', 'off', true);"""

# A title pass ranks the newest titles that match when they are a third of the candidates
# wanted at least (the words are frequent: the index would cost more); else it asks the index.
_TITLES_FIRST = """
            SELECT array_agg(c.id ORDER BY ts_rank_cd(c.v, {query}, 1) DESC, c.id DESC), count(*)
            INTO ranked, probed
            FROM unnest(newest_ids, newest_docs) AS c (id, v)
            WHERE c.v @@ {query} AND c.id <> ALL (hits);
            IF probed < {cap} / 3 THEN
                ranked := NULL;
            END IF;"""

# One pass: at most ``cap`` candidates (from the GIN index unless the newest titles gave
# them), ranked, those not found already.
_PASS = """
        IF {query} IS NOT NULL AND cardinality(hits) < wanted{only} THEN
            ranked := NULL;{titles_first}
            IF ranked IS NULL THEN
                ranked := ARRAY(
                    SELECT c.article_id FROM (
                        SELECT s.article_id, s.{column} AS v FROM {table} AS s
                        WHERE s.tenant_id = tenant AND s.{column} @@ {query} {filters}
                          AND s.article_id <> ALL (hits)
                        LIMIT {cap}) AS c
                    ORDER BY ts_rank_cd(c.v, {query}, 1) DESC, c.article_id DESC
                    LIMIT wanted - cardinality(hits));
            END IF;
            hits := hits || ranked[1:wanted - cardinality(hits)];
        END IF;"""
PASSES = """
        IF q_typing IS NOT NULL THEN""" + _NEWEST_TITLES.format(
    query="q_typing", filters=_FILTERS) + """
        END IF;""" + "".join(
    _PASS.format(query=query, table=table, column=column, cap=cap, only=only, filters=_FILTERS,
                 titles_first=_TITLES_FIRST.format(query=query, cap=cap)
                 if table == "kb_search" else "")
    for query, table, column, cap, only in (
        ("q_every", "kb_search", "title_document", 300, ""),
        ("q_typing", "kb_search", "title_document", 300, ""),
        ("q_every", "kb_search_text", "document", 60, ""),
        ("q_any", "kb_search_text", "document", 60, " AND cardinality(typed) > 1")))

# The articles of the transaction's tenant that match the words, best first, at most
# ``wanted``: published ones only unless ``internal``, in ``query_language`` if given. Each
# pass takes at most a few hundred candidates and ranks them (ts_rank_cd); a pass runs only
# while the earlier ones left room:
#   1. titles holding every word (stemmed by each language's configuration),
#   2. the same with the last word also as a prefix (typing; a prefix costs more in the
#      index than a word, so only when needed),
#   3. texts holding every word (fewer candidates: whole texts are what costs),
#   4. texts holding any of the words,
#   5. when nothing matched, typos: for each typed word the three closest words of the
#      tenant's titles (trigram similarity at least 0.35: a word of five letters or more
#      with one left out, of six or more with one added or changed; the index answers
#      ``%``, at pg_trgm's default threshold of 0.3), then the titles holding them, the
#      closest first (of equally close ones, the title most like the query).
# Each row also carries what its snippet marks (the words, or those taken for the typos)
# and the lexemes to look for where a snippet starts.
FIND = r"""
    CREATE FUNCTION kb_search_find(query_words text[], query_language text, internal boolean,
                                   wanted integer)
    RETURNS TABLE (hit bigint, marks tsquery, lexemes text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 10
    SET search_path = public, pg_temp
    SET enable_seqscan = off SET max_parallel_workers_per_gather = 0 SET jit = off
    SET enable_indexscan = off SET enable_indexonlyscan = off
    AS $$
    DECLARE
        tenant bigint := NULLIF(current_setting('app.tenant_id', true), '')::bigint;
        typed text[];
        configs regconfig[];
        q_every tsquery;
        q_typing tsquery;
        q_any tsquery;
        hits bigint[] := '{}';
        ranked bigint[];
        probed bigint;
        newest_ids bigint[];
        newest_docs tsvector[];
        close_words text[];
        close_scores real[];
        close_queries tsquery[];
    BEGIN
        typed := ARRAY(SELECT w FROM unnest(query_words) WITH ORDINALITY AS t (w, n)
                       WHERE w ~ '^\w+$' ORDER BY n LIMIT 12);
        IF tenant IS NULL OR cardinality(typed) = 0 OR wanted < 1 THEN
            RETURN;
        END IF;
        configs := CASE WHEN query_language IS NULL
                        THEN ARRAY['english', 'russian', 'simple']::regconfig[]
                        ELSE ARRAY[kb_search_config(query_language)] END;
        q_every := kb_search_query(configs, array_to_string(typed, ' & '), false);
        q_typing := kb_search_query(configs, array_to_string(
            typed[1:cardinality(typed) - 1] || (typed[cardinality(typed)] || ':*'), ' & '),
            false);
        q_any := kb_search_query(configs, array_to_string(typed, ' | '), false);
""" + PASSES + r"""
        IF cardinality(hits) = 0 THEN
            SELECT array_agg(c.word ORDER BY c.score DESC, c.word),
                   array_agg(c.score ORDER BY c.score DESC, c.word)
            INTO close_words, close_scores
            FROM (SELECT w.word, max(w.score) AS score
                  FROM unnest(typed) AS q (word)
                  CROSS JOIN LATERAL (
                      SELECT k.word, similarity(q.word, k.word) AS score
                      FROM kb_search_words AS k
                      WHERE k.tenant_id = tenant AND q.word % k.word
                        AND similarity(q.word, k.word) >= 0.35
                      ORDER BY 2 DESC, k.word LIMIT 3) AS w
                  WHERE length(q.word) >= 3
                  GROUP BY w.word) AS c;
            IF close_words IS NULL THEN
                RETURN;
            END IF;
            close_queries := ARRAY(SELECT kb_search_query(configs, w, true)
                                   FROM unnest(close_words) WITH ORDINALITY AS c (w, n)
                                   ORDER BY n);
            q_any := (SELECT string_agg('(' || q::text || ')', ' | ')::tsquery
                      FROM unnest(close_queries) AS q);
            IF q_any IS NULL THEN
                RETURN;
            END IF;""" + _NEWEST_TITLES.format(query="q_any", filters=_FILTERS) + r"""
            ranked := newest_ids;
            IF coalesce(cardinality(ranked), 0) < 20 THEN
                ranked := ARRAY(
                    SELECT s.article_id FROM kb_search AS s
                    WHERE s.tenant_id = tenant AND s.title_document @@ q_any """ + _FILTERS + r"""
                    LIMIT 200);
            END IF;
            hits := ARRAY(
                SELECT s.article_id FROM kb_search AS s
                WHERE s.tenant_id = tenant AND s.article_id = ANY (ranked)
                ORDER BY (SELECT sum(c.score)
                          FROM unnest(close_queries, close_scores) AS c (q, score)
                          WHERE s.title_document @@ c.q) DESC,
                         similarity(array_to_string(typed, ' '), s.title) DESC,
                         s.article_id DESC
                LIMIT wanted);
        END IF;
        RETURN QUERY
            SELECT f.id, coalesce(q_any, ''::tsquery), ARRAY(
                       SELECT DISTINCT m[1] FROM regexp_matches(
                           coalesce(q_typing::text, '') || ' ' || coalesce(q_any::text, ''),
                           '''([^'']+)''', 'g') AS m
                       WHERE length(m[1]) >= 3)
            FROM unnest(hits) WITH ORDINALITY AS f (id, place)
            ORDER BY f.place;
    END $$"""


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS kb_search_find(text[], text, boolean, integer)")
    for table in ("kb_search", "kb_search_text"):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"DROP POLICY IF EXISTS platform_owner ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP TRIGGER IF EXISTS kb_search_words ON kb_search")
    op.execute("DROP FUNCTION IF EXISTS kb_search_words_add()")
    op.execute("DROP TABLE IF EXISTS kb_search_words")
    for function in FUNCTIONS[1:]:
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.execute("DROP INDEX IF EXISTS ix_kb_search_newest")
    op.execute("CREATE INDEX ix_kb_search_title ON kb_search "
               "USING gin (tenant_id, title gin_trgm_ops)")
    for index, (table, column) in DOCUMENT_INDEXES.items():
        op.execute(f"DROP INDEX {index}")
        op.execute(f"CREATE INDEX {index} ON {table} USING gin (tenant_id, {column})")
