"""Feature gates for other areas: add-ons (Gmail, reports, internal mail) by plan.

API and services: ``require_addon(tenant, "reports")`` raises 402 ``plan_limit``.
Pages: decorate the view with ``@addon_page("reports")``; without the add-on the reader
lands on a page that explains how to get it (buy it, or move to a plan including it).
"""
from functools import wraps

from flask import redirect, url_for

from billing.catalog import has_addon, require_addon
from tenants.resolve import current_tenant

__all__ = ["addon_page", "has_addon", "require_addon"]


def addon_page(name: str):
    """View decorator: the page needs add-on ``name`` (put it under ``staff_page``)."""

    def decorate(fn):
        @wraps(fn)
        def view(*args, **kwargs):
            tenant = current_tenant()
            if tenant is not None and not has_addon(tenant, name):
                return redirect(url_for("billing.locked", feature=name))
            return fn(*args, **kwargs)

        return view

    return decorate
