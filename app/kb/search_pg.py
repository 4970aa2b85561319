"""Search on PostgreSQL: one statement.

``kb_search_find`` (migration 0020) does the searching inside the database: the articles of
the transaction's tenant that match, best first — titles, then titles with the last word as
a prefix (typing), then whole texts with every word, then with any word, and when nothing
matched, typos through the words of the tenant's titles; each pass reads a few hundred
candidates at most (the tenant's newest titles when the words are frequent, else from a GIN
index), and runs only while the earlier ones left room. It reads the search tables as their
owner, keyed by the transaction's tenant as row-level security is, and returns ids with
what their snippets should mark.

This module reads those few articles from ``kb_articles`` (under row-level security) with a
``ts_headline`` snippet each, made from a window of the text that starts a little before the
first place a searched lexeme occurs (the start of the text when none does): the headline's
cost grows with the text it is given, and 360 characters hold the 28 words it shows.
"""
from sqlalchemy import text

from app.extensions import db

HEADLINE = 'StartSel="\x02", StopSel="\x03", MaxWords=28, MinWords=12, ShortWord=2'
LOCATE_CHARS = 20_000  # how far into a text the first match is looked for
WINDOW_BEFORE, WINDOW_CHARS = 100, 360

_WINDOW = (f"CASE WHEN at.place > {WINDOW_BEFORE} THEN regexp_replace(substr(a.body_text, "
           f"at.place - {WINDOW_BEFORE}, {WINDOW_CHARS}), '^\\S*\\s+', '') "
           f"ELSE substr(a.body_text, 1, {WINDOW_CHARS}) END")
_SEARCH = text(f"""
    SELECT a.id, a.title, a.public AND NOT a.draft, a.language,
           ts_headline(kb_search_config(a.language),
                       translate({_WINDOW}, E'\\x02\\x03', '  '), found.marks, :headline)
    FROM kb_search_find(CAST(:words AS text[]), CAST(:language AS text),
                        CAST(:internal AS boolean), CAST(:want AS integer))
         WITH ORDINALITY AS found (hit, marks, lexemes, place)
    JOIN kb_articles AS a ON a.tenant_id = CAST(:tenant AS bigint) AND a.id = found.hit
    CROSS JOIN LATERAL (
        SELECT coalesce(min(nullif(strpos(low.text, lexeme), 0)), 1) AS place
        FROM (SELECT lower(left(a.body_text, {LOCATE_CHARS})) AS text) AS low,
             unnest(found.lexemes) AS lexeme) AS at
    ORDER BY found.place""")


def search(tenant_id: int, words: list[str], *, language: str | None,
           include_internal: bool, limit: int) -> list[tuple]:
    """``(id, title, published, language, snippet)`` rows, best first."""
    rows = db.session.execute(_SEARCH, {
        "words": words, "language": language, "internal": include_internal, "want": limit,
        "tenant": tenant_id, "headline": HEADLINE})
    return [tuple(row) for row in rows]
