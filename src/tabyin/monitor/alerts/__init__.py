"""Alerts: rules fire on stories, alerts are delivered through channels, escalated, acknowledged.

The feature's layers are ``views``/``tasks`` → ``forms`` → ``services`` (evaluate, escalate,
acknowledge, configure rules) → ``services_delivery`` (send, retry) → ``selectors``. Below them
the pure code, which reads and writes no model: ``rules`` (which rule fires on a story's facts,
and the sentence that says why) and ``channels`` (one sender per delivery channel).
"""
