"""A tenant's data export: a zip of its tickets (with messages), customers and
organizations, knowledge base and event log as JSON — what a tenant is owed when it leaves.

Built by a job that runs as the tenant (``tenant_job``: the application role, its tenant's
context, row-level security), so nothing of another tenant can get in, whatever the query.
Rows stream from the database in batches straight into the zip on disk: memory stays flat
for a tenant of any size. Attachments' files are not included (their names and sizes are,
with the messages' rows). Files are kept under ``EXPORTS_DIR`` (default
``instance/exports/``), which the web servers and the workers must share.
"""
import json
import logging
import os
import zipfile
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, select

from app.audit.service import record_action
from app.customers.models import Customer, Organization
from app.db_types import utcnow
from app.events.models import Event
from app.extensions import db
from app.jobs import enqueue, tenant_job
from app.kb.models import Article, Category
from app.operator.models import TenantExport
from app.tickets.models import Message, Ticket
from tenants import context
from tenants.models import Tenant

log = logging.getLogger(__name__)

# file in the zip -> model; each file is one JSON array of the model's rows, oldest first.
CONTENTS = {
    "tickets.json": Ticket,
    "messages.json": Message,
    "customers.json": Customer,
    "organizations.json": Organization,
    "kb_categories.json": Category,
    "kb_articles.json": Article,
    "events.json": Event,
}
BATCH = 500


def exports_dir() -> Path:
    configured = current_app.config.get("EXPORTS_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def request_export(tenant: Tenant, *, source: str) -> int:
    """Operator: queue an export of ``tenant`` (platform work; the job runs as the tenant)."""
    tenant_id, slug = tenant.id, tenant.slug
    with context.tenant_scope(tenant_id):
        row = TenantExport(tenant_id=tenant_id, status="queued")
        db.session.add(row)
        db.session.flush()
        export_id = row.id
        enqueue(build_export, tenant_id, export_id)
    record_action("tenant.export_requested", source=source,
                  tenant=db.session.get(Tenant, tenant_id),
                  details={"export_id": export_id, "slug": slug})
    return export_id


def _row(obj, columns) -> dict:
    out = {}
    for key in columns:
        value = getattr(obj, key)
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _write_table(archive: zipfile.ZipFile, name: str, model, tenant_id: int) -> int:
    columns = [attr.key for attr in inspect(model).column_attrs]
    stmt = (select(model).where(model.tenant_id == tenant_id).order_by(model.id)
            .execution_options(yield_per=BATCH))
    count = 0
    with archive.open(name, "w", force_zip64=True) as out:
        out.write(b"[")
        for obj in db.session.scalars(stmt):
            out.write((b",\n" if count else b"\n") + json.dumps(
                _row(obj, columns), ensure_ascii=False, default=str).encode())
            count += 1
            if count % BATCH == 0:
                db.session.expunge_all()  # rows already written need not stay in memory
        out.write(b"\n]\n")
    return count


def write_archive(path: Path, tenant: Tenant) -> dict:
    """Write the zip of ``tenant`` (the current tenant scope) to ``path``; returns counts."""
    counts = {}
    tenant_id = tenant.id
    manifest = {"tenant": {"slug": tenant.slug, "name": tenant.name}, "format": 1,
                "generated_at": utcnow().isoformat(), "files": list(CONTENTS)}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, model in CONTENTS.items():
            counts[name] = _write_table(archive, name, model, tenant_id)
        archive.writestr("manifest.json", json.dumps(manifest | {"counts": counts},
                                                     ensure_ascii=False, indent=2))
    return counts


@tenant_job
def build_export(tenant_id: int, export_id: int) -> str:
    """The job: build the zip, then mark the export done (or failed, with the error)."""
    export = db.session.get(TenantExport, export_id)
    if export is None or export.status == "done":
        return "nothing to do"  # run twice (a worker died after finishing): idempotent
    name = f"{db.session.get(Tenant, tenant_id).slug}-{export_id}.zip"
    final = exports_dir() / name
    partial = final.with_suffix(".part")
    try:
        counts = write_archive(partial, db.session.get(Tenant, tenant_id))
        os.replace(partial, final)
    except Exception as exc:  # the export fails visibly; the operator can ask again
        log.exception("export %s of tenant %s failed", export_id, tenant_id)
        partial.unlink(missing_ok=True)
        db.session.rollback()
        export = db.session.get(TenantExport, export_id)
        export.status, export.error, export.finished_at = "failed", str(exc)[:2000], utcnow()
        return "failed"
    export = db.session.get(TenantExport, export_id)
    export.status, export.file_name, export.counts = "done", name, counts
    export.size_bytes, export.finished_at = final.stat().st_size, utcnow()
    return "done"


def exports_of(tenant_id: int, limit: int = 20) -> list[TenantExport]:
    return list(db.session.scalars(select(TenantExport).where(
        TenantExport.tenant_id == tenant_id).order_by(TenantExport.id.desc()).limit(limit)))


def export_file(tenant_id: int, export_id: int) -> Path | None:
    """The finished file of this tenant's export, if there is one."""
    export = db.session.scalar(select(TenantExport).where(
        TenantExport.tenant_id == tenant_id, TenantExport.id == export_id))
    if export is None or export.status != "done" or not export.file_name:
        return None
    path = exports_dir() / export.file_name
    return path if path.is_file() else None
