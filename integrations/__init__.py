"""Integrations with the outside world: outgoing mail, Gmail."""
