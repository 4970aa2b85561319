"""The event log: an append-only record of every change, per tenant."""
