"""Sign up N companies with the app's own signup service, in one process, for
bench/widget/intake.py: the same rows a signup through the API writes (company, admin,
Support department, trial credit, token, events), with Argon2 at its cheapest so that a
thousand signups take seconds, not the quarter of an hour the production hashing would.

    DATABASE_URL=… PLATFORM_DATABASE_URL=… SECRET_KEY=… REDIS_URL=… \\
        .venv/bin/python bench/widget/seed_tenants.py COUNT
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.onboarding.signup import sign_up  # noqa: E402
from tenants import context  # noqa: E402


def main(count: int) -> None:
    app = create_app({"PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 8,
                                               "parallelism": 1}})
    with app.app_context():
        for n in range(count):
            sign_up(company_name=f"Shop {n}", slug=f"shop-{n}", admin_name="Admin",
                    admin_email=f"admin@shop-{n}.example", password=f"Bench-{n}-horse-staple")
            db.session.commit()
            context.clear()
            db.session.remove()


if __name__ == "__main__":
    main(int(sys.argv[1]))
