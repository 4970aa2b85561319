"""Search on PostgreSQL: ``kb_search`` (migration 0009) holds each article's tsvector under
the configuration of its language and its title, with GIN indexes led by the tenant.

Three bounded passes, each an index scan that returns at most ``limit`` ids: every word
(the last as a prefix, for typing), then any word, then titles similar to the query
(pg_trgm word similarity: typos). The first passes are ranked with ``ts_rank_cd``, the last
by similarity. Only then are the few articles read from ``kb_articles`` (under row-level
security), with a ``ts_headline`` snippet each.
"""
from sqlalchemy import text

from app.extensions import db

CONFIGS = {"ru": "russian", "en": "english", "kk": "simple"}
HEADLINE = ('StartSel="\x02", StopSel="\x03", MaxWords=28, MinWords=12, ShortWord=2, '
            'MaxFragments=2, FragmentDelimiter=" … "')
MAX_SNIPPET_SOURCE = 20_000  # characters of an article a snippet is looked for in


def _tsquery(param: str, language: str | None) -> str:
    """The query under the configuration of ``language``, or of every language ORed (the
    words of a question in Russian and of one in English both find their articles)."""
    configs = [CONFIGS[language]] if language else list(CONFIGS.values())
    return "(" + " || ".join(f"to_tsquery('{c}', :{param})" for c in configs) + ")"


def _filters(language: str | None, include_internal: bool) -> str:
    return ("" if include_internal else " AND public") + \
        (" AND language = :language" if language else "")


def _ranked(where: str, order: str, params: dict, filters: str, found: list[int]) -> list[int]:
    skip = " AND article_id <> ALL(CAST(:found AS bigint[]))" if found else ""
    statement = text(f"SELECT article_id FROM kb_search WHERE tenant_id = :tenant AND {where}"
                     f"{filters}{skip} ORDER BY {order}, article_id DESC LIMIT :limit")
    return list(db.session.scalars(statement, params | {"found": found}))


def search(tenant_id: int, words: list[str], *, language: str | None,
           include_internal: bool, limit: int) -> list[tuple]:
    """``(id, title, published, language, snippet)`` rows, best first."""
    last = words[-1] + ":*"
    params = {"tenant": tenant_id, "language": language, "limit": limit,
              "every": " & ".join(words[:-1] + [last]),
              "any": " | ".join(words[:-1] + [last]), "title": " ".join(words)[:200]}
    filters = _filters(language, include_internal)
    every, any_word = _tsquery("every", language), _tsquery("any", language)
    # Every step is small; parallel workers cost more to start than they save.
    db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    found = _ranked(f"document @@ {every}", f"ts_rank_cd(document, {every}, 1) DESC", params,
                    filters, [])
    if len(found) < limit and len(words) > 1:
        found += _ranked(f"document @@ {any_word}", f"ts_rank_cd(document, {any_word}, 1) DESC",
                         params | {"limit": limit - len(found)}, filters, found)
    if len(found) < limit:
        # The closest word first; of equally close ones, the title most like the query.
        found += _ranked(":title <% title", "word_similarity(:title, title) DESC, "
                         "similarity(:title, title) DESC",
                         params | {"limit": limit - len(found)}, filters, found)
    if not found:
        return []
    rows = db.session.execute(text(
        f"SELECT id, title, public AND NOT draft, language, ts_headline("
        f"kb_search_config(language), translate(left(body_text, {MAX_SNIPPET_SOURCE}), "
        f"E'\\x02\\x03', '  '), {any_word}, :headline) FROM kb_articles "
        f"WHERE tenant_id = :tenant AND id = ANY(CAST(:found AS bigint[]))"),
        params | {"found": found, "headline": HEADLINE}).all()
    order = {article_id: place for place, article_id in enumerate(found)}
    return sorted((tuple(row) for row in rows), key=lambda row: order[row[0]])
