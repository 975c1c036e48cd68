"""Ingestion: posts from any source through the pure pipeline into posts, stories and matches.

``services`` is the one entry (``ingest``); ``services_stories``, ``services_stance`` and
``services_sql`` are its parts, ``services_classifier`` keeps the sentiment model it classifies
with, and ``tasks`` runs a batch on a worker in scaled mode.
"""
