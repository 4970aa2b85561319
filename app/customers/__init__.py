"""Customers (requesters, registered by e-mail the first time they write) and organizations."""
