"""Search on SQLite, the embedded default: ``kb_articles_fts`` (FTS5 over titles and texts,
kept current by triggers, migration 0009).

FTS5 knows no word forms, so each word is searched as the prefix of its Snowball stem
(Russian for Cyrillic words, English otherwise): "принтеры" → ``"принтер"*``. Every word
first, then any word; when neither finds anything, for typos, titles whose words are close
to the query's (difflib), over at most ``TYPO_SCAN`` of the tenant's articles — the embedded
default serves small desks.
"""
import difflib
import re

import snowballstemmer
from sqlalchemy import text

from app.extensions import db

TYPO_SCAN = 5_000
TYPO_RATIO = 0.8
_STEMMERS = {"ru": snowballstemmer.stemmer("russian"),
             "en": snowballstemmer.stemmer("english")}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _term(word: str) -> str:
    stemmer = _STEMMERS["ru" if _CYRILLIC.search(word) else "en"]
    stem = stemmer.stemWord(word)
    if len(stem) < 3 or not word.startswith(stem):
        stem = word
    return f'"{stem}"*'


def _filters(language: str | None, include_internal: bool) -> str:
    return ("" if include_internal else " AND a.public AND NOT a.draft") + \
        (" AND a.language = :language" if language else "")


def _matching(match: str, params: dict, filters: str, found: list[int]) -> list[tuple]:
    skip = f" AND a.id NOT IN ({', '.join(str(int(i)) for i in found)})" if found else ""
    return db.session.execute(text(
        "SELECT a.id, a.title, a.public AND NOT a.draft, a.language, "
        "snippet(kb_articles_fts, 1, char(2), char(3), ' … ', 24) "
        "FROM kb_articles_fts JOIN kb_articles a ON a.id = kb_articles_fts.rowid "
        f"WHERE kb_articles_fts MATCH :match AND a.tenant_id = :tenant{filters}{skip} "
        "ORDER BY bm25(kb_articles_fts, 8.0, 1.0), a.id DESC LIMIT :limit"),
        params | {"match": match}).all()


def _close(words: list[str], title: str) -> float:
    """How close the title's words come to the query's, at best (0 … 1)."""
    title_words = re.findall(r"\w+", title.lower())
    best = 0.0
    for word in words:
        for other in title_words:
            matcher = difflib.SequenceMatcher(None, word, other)
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                best = max(best, matcher.ratio())
    return best


def _typos(words: list[str], params: dict, filters: str, found: list[int],
           want: int) -> list[tuple]:
    rows = db.session.execute(text(
        "SELECT a.id, a.title, a.public AND NOT a.draft, a.language, "
        "substr(a.body_text, 1, 200) FROM kb_articles a "
        f"WHERE a.tenant_id = :tenant{filters} ORDER BY a.id DESC LIMIT {TYPO_SCAN}"),
        params).all()
    long_words = [word for word in words if len(word) >= 4]
    scored = [(_close(long_words, row[1]), row) for row in rows if row[0] not in found]
    scored = [(score, row) for score, row in scored if score >= TYPO_RATIO]
    scored.sort(key=lambda pair: -pair[0])
    return [row for _score, row in scored[:want]]


def search(tenant_id: int, words: list[str], *, language: str | None,
           include_internal: bool, limit: int) -> list[tuple]:
    """``(id, title, published, language, snippet)`` rows, best first."""
    params = {"tenant": tenant_id, "language": language, "limit": limit}
    filters = _filters(language, include_internal)
    terms = [_term(word) for word in words]
    rows = _matching(" ".join(terms), params, filters, [])
    if len(rows) < limit and len(terms) > 1:
        rows += _matching(" OR ".join(terms), params | {"limit": limit - len(rows)}, filters,
                          [row[0] for row in rows])
    if not rows:  # the typo pass reads titles one by one: only when nothing else matched
        rows = _typos(words, params, filters, [], limit)
    return [tuple(row) for row in rows]
