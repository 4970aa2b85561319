"""Attachments: limits from the tenant's settings, type checked by content, pluggable storage."""
