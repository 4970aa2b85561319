"""Billing: plans and add-ons, limits and quotas, the ledger, daily charges, Stripe top-ups."""
