"""Tenants: the Tenant model, the tenant context, ORM scoping, PostgreSQL RLS and signup."""
