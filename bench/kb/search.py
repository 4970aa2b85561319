"""Knowledge-base search with 100,000 articles: server-side latency of ``app.kb.search.find``
(the function the widget, the portal, the public site and the API call), p50/p95.

Builds its own database (as the ``postgres`` superuser; dropped and made again), migrates it
as the application's role (which owns it, so row-level security is in force, as in
production), then loads one tenant with 100,000 published articles (half Russian, half
English) and a small tenant with 2,000, through ``kb_articles`` so the search documents are
made by the same trigger as in the app. Words follow a Zipf curve over the support
vocabulary of bench/tickets plus 30,000 generated words per language (product names, rare
terms), so a few words are in thousands of articles and most in a handful.

Queries are drawn from the big tenant's own titles, in five kinds: one word, two words,
another word form ("принтеры" for "принтер", "printers" for "printer"), a typo (a letter
left out) and a prefix while typing. Each run times 300 queries, one transaction each, as
the public would (published articles, the first 10); the figures are the medians of the runs,
overall and by kind, with the statements each search sends and the machine's load average
(figures taken while other work runs are not comparable with quiet ones).

    .venv/bin/python bench/kb/search.py [--articles 100000] [--runs 5] [--queries 300]
        [--keep]   # reuse the loaded database if it is there

Settings: BENCH_ADMIN_URL, BENCH_OWNER, BENCH_REDIS_URL (see bench/tickets/common.py);
BENCH_KB_DATABASE (default helpdesk_bench_kb).
"""
import argparse
import io
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tickets"))
from common import ADMIN_URL, OWNER, REDIS_URL  # noqa: E402
from vocabulary import ENGLISH, RUSSIAN  # noqa: E402

DATABASE = os.environ.get("BENCH_KB_DATABASE", "helpdesk_bench_kb")
HOST = ADMIN_URL.split("@", 1)[1].rsplit("/", 1)[0]
APP_URL = f"postgresql+psycopg://{OWNER}@{HOST}/{DATABASE}"
LOAD_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}"
BIG, SMALL = "kb-big", "kb-small"
RARE_WORDS = 30_000
LATIN, CYRILLIC = "bcdfghklmnprstvz", "бвгдзклмнпрстфх"
VOWELS = {"en": "aeiou", "ru": "аеиоуя"}


def make_app():
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": APP_URL, "REDIS_URL": REDIS_URL,
                       "SECRET_KEY": "bench", "TESTING": True})


def vocabulary(language: str, rng: random.Random) -> tuple[list[str], list[float]]:
    """Real words first (the head of the curve), generated rare ones after."""
    consonants = LATIN if language == "en" else CYRILLIC
    words = list(ENGLISH if language == "en" else RUSSIAN)
    seen = set(words)
    while len(words) < RARE_WORDS:
        word = "".join(rng.choice(consonants) + rng.choice(VOWELS[language])
                       for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    return words, list(itertools.accumulate(weights))  # cumulative: choices() runs fast


def create_and_migrate() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{OWNER}"')
    from flask_migrate import upgrade

    with make_app().app_context():
        upgrade(revision="heads")


def load(articles: int) -> None:
    rng = random.Random(42)
    words = {lang: vocabulary(lang, rng) for lang in ("en", "ru")}
    with psycopg.connect(LOAD_URL, autocommit=True) as conn:
        for slug, count in ((BIG, articles), (SMALL, 2_000)):
            tenant = conn.execute(
                "INSERT INTO tenants (slug, name, plan, language, timezone, currency, balance, "
                "widget_key, created_at) VALUES (%s, %s, 'pro', 'ru', 'UTC', 'RUB', 0, %s, "
                "now()) RETURNING id", (slug, slug.title(), f"wk-{slug}")).fetchone()[0]
            started = time.perf_counter()
            buffer = io.StringIO()
            for n in range(count):
                language = "ru" if n % 2 else "en"
                vocab, cumulative = words[language]
                title = " ".join(rng.choices(vocab, cum_weights=cumulative,
                                             k=rng.randint(3, 7))).capitalize()
                body = " ".join(rng.choices(vocab, cum_weights=cumulative,
                                            k=rng.randint(60, 240)))
                row = [str(tenant), title, body, f"<p>{body}</p>", body, "t", "f", language,
                       "t" if n % 500 == 0 else "f", str(rng.randint(0, 5000)), "0", "0"]
                buffer.write("\t".join(row) + "\t2025-01-01\t2025-01-01\n")
            buffer.seek(0)
            with conn.cursor().copy(
                    "COPY kb_articles (tenant_id, title, body_markdown, body_html, body_text, "
                    "public, draft, language, featured, views, helpful_yes, helpful_no, "
                    "created_at, updated_at) FROM STDIN") as copy:
                copy.write(buffer.read())
            print(f"{slug}: {count:,} articles loaded in {time.perf_counter() - started:.0f} s",
                  flush=True)
        conn.execute("ANALYZE")


def queries(app, tenant_id: int, count: int, rng: random.Random) -> list[tuple[str, str]]:
    from sqlalchemy import text

    from app.extensions import db
    from tenants.context import platform_connection, platform_scope

    with platform_connection(), app.app_context(), platform_scope():
        titles = db.session.execute(text(
            "SELECT title, language FROM kb_articles WHERE tenant_id = :t ORDER BY random() "
            "LIMIT :n"), {"t": tenant_id, "n": count}).all()
    made = []
    for n, (title, language) in enumerate(titles):
        words = title.lower().split()
        kind = ("one word", "two words", "word form", "typo", "prefix")[n % 5]
        word = rng.choice(words)
        if kind == "two words":
            query = " ".join(rng.sample(words, min(2, len(words))))
        elif kind == "word form":
            query = word + ("ы" if language == "ru" else "s")
        elif kind == "typo" and len(word) >= 5:
            cut = rng.randint(1, len(word) - 2)
            query = word[:cut] + word[cut + 1:]
        elif kind == "prefix":
            query = word[: max(3, len(word) - 2)]
        else:
            query = word
        made.append((kind, query))
    return made


def _quantiles(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), statistics.quantiles(values, n=100)[94]


def measure(runs: int, count: int) -> None:
    from sqlalchemy import event

    from app.extensions import db
    from app.kb import search
    from tenants.context import tenant_scope
    from tenants.resolve import tenant_id_by_slug

    app = make_app()
    with app.test_request_context():
        tenant_id = tenant_id_by_slug(BIG)
    with app.app_context():
        sent = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: sent.append(1))
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    per_run, by_kind, statements = [], {}, []
    for run in range(runs):
        timings, found, kinds = [], 0, {}
        for kind, query in queries(app, tenant_id, count, random.Random(run)):
            with app.test_request_context(), tenant_scope(tenant_id):
                sent.clear()
                started = time.perf_counter()
                hits = search.find(tenant_id, query, limit=10)
                db.session.rollback()
                elapsed = (time.perf_counter() - started) * 1000
                statements.append(len(sent))
            timings.append(elapsed)
            kinds.setdefault(kind, []).append(elapsed)
            found += bool(hits)
        for kind, values in kinds.items():
            by_kind.setdefault(kind, []).append(_quantiles(values))
        per_run.append((*_quantiles(timings), found / len(timings)))
        print(f"run {run + 1}: p50 {per_run[-1][0]:.1f} ms, p95 {per_run[-1][1]:.1f} ms, "
              f"{per_run[-1][2]:.0%} of queries found something", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}; statements per search (with the "
          f"transaction's own): {statistics.mean(statements):.1f}")
    print(f"\nby kind of query (medians of {runs} runs):")
    for kind, values in by_kind.items():
        print(f"  {kind:10} p50 {statistics.median(v[0] for v in values):6.1f} ms  "
              f"p95 {statistics.median(v[1] for v in values):6.1f} ms")
    p50 = statistics.median(r[0] for r in per_run)
    p95 = statistics.median(r[1] for r in per_run)
    print(f"\nKB search, 100,000-article tenant: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(medians of {runs} runs of {count} queries); target p95 < 20 ms: "
          f"{'met' if p95 < 20 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    exists = False
    if args.keep:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            exists = bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                       (DATABASE,)).fetchone())
    if not exists:
        create_and_migrate()
        load(args.articles)
    measure(args.runs, args.queries)


if __name__ == "__main__":
    main()
