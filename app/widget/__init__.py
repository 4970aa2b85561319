"""The website widget: one script tag on a tenant's site (``static/widget.js``), its public
endpoints under ``/widget/<key>/`` (the form, article suggestions, the request itself), and
the admin's settings page and API."""
