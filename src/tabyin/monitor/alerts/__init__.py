"""Alerting: pure rules (``rules``) and one sender per delivery channel (``channels``).

Nothing here reads or writes models: ``services_alerts`` gathers the facts, stores alerts and
deliveries, and calls these.
"""
