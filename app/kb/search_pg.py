"""Search on PostgreSQL: ``kb_search`` (migration 0009) holds each article's title, as text
for trigrams and as a tsvector under the configuration of its language, ``kb_search_text``
its whole text as a tsvector; every GIN index is led by the tenant.

The first statement sets the transaction up and turns the words into tsqueries under each
language's configuration (the same words, stemmed per language, ORed, each lexeme once).
Then bounded passes, each an index scan that hands over at most ``limit`` ids, so a word
found in tens of thousands of articles costs little more than a rare one:

1. titles holding every word (the last one also as a prefix, for typing), ranked with
   ``ts_rank_cd`` among the first ``TITLE_CANDIDATES`` the index yields (small vectors);
2. texts holding every word, ranked among the first ``BODY_CANDIDATES`` (reading whole
   texts is what costs; the titles already gave the best matches);
3. the same with any of the words;
4. when nothing matched, titles similar to the query (pg_trgm word similarity): typos.

Only then are the few articles read from ``kb_articles`` (under row-level security), with a
``ts_headline`` snippet each.
"""
from sqlalchemy import text

from app.extensions import db
from app.languages import LANGUAGES

# A language without a stemmer in PostgreSQL (Kazakh) is searched word for word.
CONFIGS = {"ru": "russian", "en": "english"}
HEADLINE = 'StartSel="\x02", StopSel="\x03", MaxWords=28, MinWords=12, ShortWord=2'
MAX_SNIPPET_SOURCE = 2_000  # characters of an article a snippet is looked for in
TITLE_CANDIDATES = 300
BODY_CANDIDATES = 60
TYPO_CANDIDATES = 60
_KINDS = ("typing", "every", "any")


def _configs(language: str | None) -> list[str]:
    """The configurations to search with: the language's, or every language's."""
    if language:
        return [CONFIGS.get(language, "simple")]
    return sorted({CONFIGS.get(code, "simple") for code in LANGUAGES})


def _prepare(words: list[str], language: str | None) -> dict[str, str]:
    """Set the transaction up for small index steps, and return the tsqueries (as text) of
    the words: every word with the last as a prefix, every word, any word."""
    typed = {"typing": " & ".join(words[:-1] + [words[-1] + ":*"]),
             "every": " & ".join(words), "any": " | ".join(words)}
    configs = _configs(language)
    columns = ", ".join(f"to_tsquery('{config}', :{kind})::text"
                        for kind in _KINDS for config in configs)
    # No parallel workers and no JIT: they cost more to start than any step here takes; the
    # index even where the planner expects many matches, as only a few are read.
    row = db.session.execute(text(
        "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
        "set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), "
        f"{columns}"), typed).one()[3:]
    queries = {}
    for index, kind in enumerate(_KINDS):
        parts = dict.fromkeys(q for q in row[index * len(configs):(index + 1) * len(configs)]
                              if q)
        queries[kind] = " | ".join(f"({q})" for q in parts)
    return queries


def _filters(language: str | None, include_internal: bool) -> str:
    return ("" if include_internal else " AND public") + \
        (" AND language = :language" if language else "")


def _ranked(table: str, column: str, kind: str, cap: int, params: dict, filters: str,
            found: list[int]) -> list[int]:
    """Up to ``want`` ids whose ``column`` matches the ``kind`` query: the first ``cap``
    matches the index yields, best ranked first."""
    skip = " AND article_id <> ALL(CAST(:found AS bigint[]))" if found else ""
    query = f"CAST(:{kind} AS tsquery)"
    statement = text(
        f"SELECT article_id FROM (SELECT article_id, {column} AS v FROM {table} "
        f"WHERE tenant_id = CAST(:tenant AS bigint) AND {column} @@ {query}{filters}{skip} "
        f"LIMIT {cap}) AS c "
        f"ORDER BY ts_rank_cd(v, {query}, 1) DESC, article_id DESC LIMIT :want")
    return list(db.session.scalars(statement, params | {"found": found}))


def _similar(params: dict, filters: str) -> list[int]:
    # The closest word first; of equally close ones, the title most like the query.
    statement = text(
        f"SELECT article_id FROM (SELECT article_id, title FROM kb_search "
        f"WHERE tenant_id = CAST(:tenant AS bigint) AND :title <% title{filters} "
        f"LIMIT {TYPO_CANDIDATES}) AS c ORDER BY word_similarity(:title, title) DESC, "
        f"similarity(:title, title) DESC, article_id DESC LIMIT :want")
    return list(db.session.scalars(statement, params))


def search(tenant_id: int, words: list[str], *, language: str | None,
           include_internal: bool, limit: int) -> list[tuple]:
    """``(id, title, published, language, snippet)`` rows, best first."""
    queries = _prepare(words, language)
    params = {"tenant": tenant_id, "language": language, "want": limit,
              "title": " ".join(words)[:200]} | queries
    filters = _filters(language, include_internal)
    found: list[int] = []
    passes = [("kb_search", "title_document", "typing", TITLE_CANDIDATES),
              ("kb_search_text", "document", "every", BODY_CANDIDATES)]
    if len(words) > 1:
        passes.append(("kb_search_text", "document", "any", BODY_CANDIDATES))
    for table, column, kind, cap in passes:
        if len(found) >= limit:
            break
        if queries[kind]:  # empty when every word is a stop word
            found += _ranked(table, column, kind, cap, params | {"want": limit - len(found)},
                             filters, found)
    if not found:  # no word matched as written: look for titles with a typo
        found = _similar(params, filters)
    if not found:
        return []
    snippet_query = "CAST(:any AS tsquery)" if queries["any"] else "''::tsquery"
    rows = db.session.execute(text(
        f"SELECT id, title, public AND NOT draft, language, ts_headline("
        f"kb_search_config(language), translate(substr(body_text, 1, {MAX_SNIPPET_SOURCE}), "
        f"E'\\x02\\x03', '  '), {snippet_query}, :headline) FROM kb_articles "
        f"WHERE tenant_id = :tenant AND id = ANY(CAST(:found AS bigint[]))"),
        params | {"found": found, "headline": HEADLINE}).all()
    order = {article_id: place for place, article_id in enumerate(found)}
    return sorted((tuple(row) for row in rows), key=lambda row: order[row[0]])
