"""Client apps of the public API: registered by an administrator, each with hashed keys, its own
rate limit and a daily request count (docs/modules/api.md)."""
