"""Billing: the ledger and balance (plans, limits, daily charges and Stripe build on it)."""
