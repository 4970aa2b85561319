"""Outgoing mail: letters leave through SMTP (``SMTP_URL``) in a job on the ``mail`` queue.

With no ``SMTP_URL`` (the embedded default) letters are written as .eml files to
``instance/outbox/`` so nothing is lost and a developer can read them.
"""
