"""Where attachment bytes live: a small interface with a local-disk and an S3 backend.

Local disk (the default) keeps files under ``instance/attachments/<tenant_id>/``; it
suits one web server. Installations with several web servers set
``ATTACHMENTS_BACKEND=s3`` and ``S3_BUCKET`` (plus ``S3_ENDPOINT_URL``, ``S3_REGION``,
``S3_ACCESS_KEY_ID``, ``S3_SECRET_ACCESS_KEY`` for any S3-compatible service).
"""
import os
import re
from pathlib import Path
from typing import Protocol

from flask import current_app

_KEY = re.compile(r"^\d+/[0-9a-f]{32}$")


class StorageError(RuntimeError):
    """The backend could not store or return a file."""


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def _checked(key: str) -> str:
    # Keys are made by the service ("<tenant_id>/<uuid hex>"); anything else is a bug or
    # an attack on the path, so refuse it.
    if not _KEY.match(key):
        raise StorageError(f"malformed storage key {key!r}")
    return key


class LocalStorage:
    """Files on local disk, one directory per tenant."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # readers never see half a file

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StorageError(f"missing file {key}") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph …) through boto3."""

    def __init__(self, *, bucket: str, endpoint_url: str | None = None,
                 region: str | None = None, access_key: str | None = None,
                 secret_key: str | None = None, prefix: str = "attachments/"):
        # Only the S3 backend needs boto3, and importing it takes half a second: the local
        # backend (and every process that never stores a file) does without it.
        import boto3

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or "us-east-1",
            aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + _checked(key), Body=data,
                               ContentType=content_type)

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + _checked(key))
        except self.client.exceptions.NoSuchKey:
            raise StorageError(f"missing file {key}") from None
        return response["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + _checked(key))


def _setting(name: str) -> str:
    return current_app.config.get(name) or ""


def build_storage(app) -> Storage:
    backend = (app.config.get("ATTACHMENTS_BACKEND") or "local").lower()
    with app.app_context():
        if backend == "s3":
            bucket = _setting("S3_BUCKET")
            if not bucket:
                raise StorageError("ATTACHMENTS_BACKEND=s3 needs S3_BUCKET")
            return S3Storage(bucket=bucket, endpoint_url=_setting("S3_ENDPOINT_URL"),
                             region=_setting("S3_REGION"),
                             access_key=_setting("S3_ACCESS_KEY_ID"),
                             secret_key=_setting("S3_SECRET_ACCESS_KEY"))
        if backend != "local":
            raise StorageError(f"unknown ATTACHMENTS_BACKEND {backend!r} (local or s3)")
        root = _setting("ATTACHMENTS_DIR") or os.path.join(app.instance_path, "attachments")
        return LocalStorage(Path(root))


def get_storage() -> Storage:
    """The app's storage backend, built once from its configuration."""
    app = current_app._get_current_object()
    storage = app.extensions.get("attachment_storage")
    if storage is None:
        storage = app.extensions["attachment_storage"] = build_storage(app)
    return storage
