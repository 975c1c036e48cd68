"""Pure, database-free steps of the ingestion pipeline (see docs/modules/monitor.md).

normalize/canonicalize -> fingerprint -> near-duplicate index (join or start a story) -> watch
queries -> classify. ``ingest.services`` runs them over a batch and then stores the result.
"""
