"""/api/v1/ideas/: Jam'i-no for client apps (see router.py)."""
