"""Events: the append-only record of every change, per tenant (``record_event``), and an
event's shape in the API (``api``).

Every area, billing and the integrations record what they change, so this package sits in
the shared core below them all. Reading the record — the event log's pages, API endpoint and
sentences — is the area ``app.event_log``."""
