"""The platform's audit log: every operator action, from the console and the commands."""
