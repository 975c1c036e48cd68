"""Retention: the end of a report's life. Reminders before deadlines and before deletion, then
deletion for good (files too), unless a legal hold keeps the report; deleted reports leave only
their tallies for the published statistics.

``tasks`` (the periodic jobs, names unchanged: ``reports.retention``, ``reports.deadlines``) →
``services``.
"""
