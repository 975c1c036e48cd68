"""The report module's pure code: cryptography and where its secrets are kept. No model, no service.

``sodium`` (every primitive, libsodium through PyNaCl) at the bottom; above it ``receipts`` (receipt
codes made, normalized and stretched), ``vault`` (short-lived secrets split between the server's
cache and a browser cookie) and ``storage`` (encrypted evidence files on disk).
"""
