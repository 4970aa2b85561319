"""Running a script against the embedded default (SQLite, no Redis server settings) in a
process of its own, as ``make run`` does: each SQLite test's script starts with ``prelude``
(an app migrated on a fresh SQLite file, a company signed up through the API, and ``post``)."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prelude(*, company: str, slug: str, imports: str = "") -> str:
    """The opening of a script: ``app``, ``client``, ``auth`` and ``post(path, payload)``."""
    return textwrap.dedent(imports) + textwrap.dedent(f'''
        from flask_migrate import upgrade
        from app import create_app

        app = create_app({{"WTF_CSRF_ENABLED": False}})
        assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
        with app.app_context():
            upgrade(revision="heads")
        client = app.test_client()
        body = client.post("/api/v1/signup", json={{
            "company_name": "{company}", "slug": "{slug}", "admin_name": "Lee",
            "admin_email": "lee@lite.example", "password": "Lite-test-pass-1"}}).get_json()
        auth = {{"Authorization": "Bearer " + body["token"]}}

        def post(path, payload):
            response = client.post("/api/v1" + path, json=payload, headers=auth)
            assert response.status_code in (200, 201), (path, response.get_json())
            return response.get_json()
    ''')


def run_on_sqlite(tmp_path: Path, script: str) -> str:
    """Run ``script`` with the embedded defaults in ``tmp_path``; its output (it must exit 0)."""
    path = tmp_path / "on_sqlite.py"
    path.write_text(script)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["INSTANCE_PATH"] = str(tmp_path / "instance")
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout
