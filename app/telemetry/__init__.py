"""What the running platform tells its operator: the request id, JSON log lines, metrics."""
