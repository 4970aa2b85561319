"""Tenants, the foundation: the Tenant model, the tenant context, resolution, ORM scoping and
PostgreSQL RLS. It imports only itself and the shared core (app.extensions, app.db_types);
signup and company settings live above it, in ``app.onboarding`` (checked by import-linter,
see ``.importlinter``)."""
