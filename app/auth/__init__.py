"""Authentication: staff login for the web UI, API tokens for scripts."""
