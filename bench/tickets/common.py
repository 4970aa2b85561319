"""Settings shared by the ticket benchmarks (environment variables, all optional).

BENCH_ADMIN_URL   superuser connection for creating and bulk-loading the database
                  (default postgresql://postgres@127.0.0.1:5432/postgres)
BENCH_DATABASE    the benchmark's own database (default helpdesk_bench_tickets)
BENCH_OWNER       the application role that owns and queries it (default helpdesk)
BENCH_REDIS_URL   Redis for the app factory (default redis://127.0.0.1:6379/1)
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "helpdesk_bench_tickets")
OWNER = os.environ.get("BENCH_OWNER", "helpdesk")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
HOST = ADMIN_URL.split("@", 1)[1].rsplit("/", 1)[0]

# The app connects as the owner, like production: row-level security is in force.
APP_URL = f"postgresql+psycopg://{OWNER}@{HOST}/{DATABASE}"
# Bulk loading connects as the superuser to the benchmark database.
LOAD_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}"

BIG_SLUG, SMALL_SLUG = "bench-big", "bench-small"


def make_app():
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": APP_URL, "REDIS_URL": REDIS_URL,
                       "SECRET_KEY": "bench", "TESTING": True})
