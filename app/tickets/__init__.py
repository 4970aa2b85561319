"""Tickets: the agents' workspace — numbering, conversation, workflow, search, access."""
