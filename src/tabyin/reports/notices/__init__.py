"""Notices: the e-mails that tell staff something waits (never what), queued in the same
transaction as the report or message they are about and sent at most once (ADR 0017).

``tasks`` (send what was queued, sweep the lost) over ``services`` (queue, send, sweep). The
outbox rows are ``reports.models_notices.Notice``.
"""
