"""Outgoing mail.

System letters (invitations, password resets, balance warnings) are queued with
``outbox.send_mail`` and leave through SMTP (``SMTP_URL``) in a job on the ``mail`` queue.
Letters about tickets are the letters area's (``app.letters``): composed and sent by jobs on
the ``notifications`` queue, through the tenant's own mailbox when an integration offers one
(``transports``), otherwise through SMTP. With no ``SMTP_URL`` (the embedded default) letters
are written as .eml files to ``instance/outbox/`` so nothing is lost and a developer can read
them.
"""
