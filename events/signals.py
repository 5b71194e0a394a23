"""The hook through which events sends e-mail without importing the apps above it.

`notice` is sent inside the service's transaction with `office` (the recipient's office) and
`notice` (a dict with the fields of `notifications.services.Reminder`). The notifications app,
which sits above events in the layers, connects to it and writes the outbox row in the same
transaction, so a rolled-back sign-up sends nothing and a repeated one sends nothing twice.
"""

from django.dispatch import Signal

notice = Signal()
