"""Settings from environment variables (12-factor).

A missing required setting stops start-up with a message naming it.
With no DATABASE_URL the app runs on the embedded defaults: a SQLite file and an
embedded Redis under ``instance/``; there a secret key is generated once and kept.
"""
import os
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


class ConfigError(RuntimeError):
    """A setting is missing or malformed; start-up stops."""


def _embedded_secret() -> str:
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _money(name: str, default: str) -> int:
    raw = os.environ.get(name, default)
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ConfigError(f"{name} must be a decimal amount such as 200.00, got {raw!r}") from exc
    return int((value * 100).to_integral_value())


def _sqlalchemy_url(url: str | None) -> str:
    """``postgres(ql)://`` as operators write it, with the driver SQLAlchemy should use."""
    url = url or ""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_environment() -> dict:
    """Read the whole configuration from the environment."""
    env = os.environ
    embedded = not env.get("DATABASE_URL")
    secret = env.get("SECRET_KEY") or (_embedded_secret() if embedded else None)
    if not secret:
        raise ConfigError("SECRET_KEY is required when DATABASE_URL is set (production mode)")
    database_url = _sqlalchemy_url(env.get("DATABASE_URL")
                                   or f"sqlite:///{INSTANCE / 'helpdesk.db'}")
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # The owner (migrations) and the BYPASSRLS platform role; unset: DATABASE_URL's role.
        "MIGRATION_DATABASE_URI": _sqlalchemy_url(env.get("MIGRATION_DATABASE_URL")),
        "PLATFORM_DATABASE_URI": _sqlalchemy_url(env.get("PLATFORM_DATABASE_URL")),
        "REDIS_URL": env.get("REDIS_URL", ""),
        "EMBEDDED": embedded,
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SMTP_URL": env.get("SMTP_URL", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "helpdesk@localhost"),
        "STRIPE_API_KEY": env.get("STRIPE_API_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": env.get("STRIPE_WEBHOOK_SECRET", ""),
        "STRIPE_API_BASE": env.get("STRIPE_API_BASE", ""),
        "GOOGLE_CLIENT_ID": env.get("GOOGLE_CLIENT_ID", ""),
        "GOOGLE_CLIENT_SECRET": env.get("GOOGLE_CLIENT_SECRET", ""),
        "GOOGLE_AUTH_URI": env.get("GOOGLE_AUTH_URI", "https://accounts.google.com/o/oauth2/auth"),
        "GOOGLE_TOKEN_URI": env.get("GOOGLE_TOKEN_URI", "https://oauth2.googleapis.com/token"),
        "GMAIL_API_ENDPOINT": env.get("GMAIL_API_ENDPOINT", ""),
        "GOOGLE_REVOKE_URI": env.get("GOOGLE_REVOKE_URI", "https://oauth2.googleapis.com/revoke"),
        # The first import of a newly connected mailbox (Gmail's search syntax).
        "GMAIL_SYNC_QUERY": env.get("GMAIL_SYNC_QUERY", "in:inbox newer_than:30d"),
        # The label imported messages are given in the mailbox (created when missing).
        "GMAIL_LABEL": env.get("GMAIL_LABEL", "Helpdesk"),
        # The first pause after Google answers 429/5xx; it doubles on each further refusal.
        "GMAIL_BACKOFF_SECONDS": float(env.get("GMAIL_BACKOFF_SECONDS", "2")),
        "CURRENCY": env.get("CURRENCY", "RUB").upper(),
        "TRIAL_CREDIT": _money("TRIAL_CREDIT", "200.00"),
        "ENCRYPTION_KEY": env.get("ENCRYPTION_KEY", ""),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(25 * 1024 * 1024))),
        "MAX_JSON_LENGTH": int(env.get("MAX_JSON_LENGTH", str(1024 * 1024))),
        "SESSION_COOKIE_SECURE": env.get("BASE_URL", "").startswith("https://"),
        "REMEMBER_COOKIE_SECURE": env.get("BASE_URL", "").startswith("https://"),
        "OPERATOR_TOKEN": env.get("OPERATOR_TOKEN", ""),
        "METRICS_TOKEN": env.get("METRICS_TOKEN", ""),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        "EXPORTS_DIR": env.get("EXPORTS_DIR", ""),
        "TOPUP_MIN": _money("TOPUP_MIN", "100.00"),
        "TOPUP_MAX": _money("TOPUP_MAX", "1000000.00"),
        "ATTACHMENTS_BACKEND": env.get("ATTACHMENTS_BACKEND", "local").lower(),
        "ATTACHMENTS_DIR": env.get("ATTACHMENTS_DIR", ""),
        **{name: env.get(name, "") for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION",
                                                 "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")},
        "SIGNUP_RATE_LIMIT": env.get("SIGNUP_RATE_LIMIT", "10 per hour"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "30 per minute"),
        "PORTAL_LINK_RATE_LIMIT": env.get("PORTAL_LINK_RATE_LIMIT", "10 per hour"),
        "PORTAL_POST_RATE_LIMIT": env.get("PORTAL_POST_RATE_LIMIT", "60 per hour"),
        # The widget's requests per visitor's IP, per widget key (all visitors of a site
        # together), and its reads (form, suggestions, articles) per IP.
        "WIDGET_RATE_LIMIT": env.get("WIDGET_RATE_LIMIT", "20 per minute"),
        "WIDGET_KEY_RATE_LIMIT": env.get("WIDGET_KEY_RATE_LIMIT", "600 per minute"),
        "WIDGET_READ_RATE_LIMIT": env.get("WIDGET_READ_RATE_LIMIT", "300 per minute"),
        # How long a drain of widget requests looks again for requests still committing
        # before it ends; a busy site's requests then skip asking for a drain (0: always ask).
        "WIDGET_DRAIN_LINGER_SECONDS": float(env.get("WIDGET_DRAIN_LINGER_SECONDS", "0.25")),
    }


def _test_url(variable: str, role: str) -> str:
    """The test database as ``role`` (see scripts/test-services.sh), unless overridden."""
    name = os.environ.get("TEST_DATABASE_NAME", "helpdesk_test")
    return os.environ.get(variable) or f"postgresql+psycopg://{role}@127.0.0.1:5432/{name}"


class TestConfig(dict):
    """Configuration for the test suite: real PostgreSQL and Redis from the environment."""

    __test__ = False  # not a test class

    def __init__(self, **overrides):
        super().__init__(
            TESTING=True,
            SECRET_KEY="test-secret",
            SQLALCHEMY_DATABASE_URI=_test_url("TEST_DATABASE_URL", "helpdesk"),
            MIGRATION_DATABASE_URI=_test_url("TEST_MIGRATION_DATABASE_URL", "helpdesk_owner"),
            PLATFORM_DATABASE_URI=_test_url("TEST_PLATFORM_DATABASE_URL", "helpdesk_platform"),
            REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            WTF_CSRF_ENABLED=False,
            # The cheapest Argon2id the library accepts: the suite hashes hundreds of passwords;
            # production keeps argon2-cffi's strong defaults.
            PASSWORD_HASH_PARAMS={"time_cost": 1, "memory_cost": 8, "parallelism": 1},
            RATELIMIT_ENABLED=True,
        )
        self.update(overrides)
