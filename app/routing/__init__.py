"""Routing rules: sort every new ticket (department, priority, type, assignee, tags)."""
