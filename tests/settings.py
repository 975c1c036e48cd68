"""Test settings: the real settings, fed a throwaway data directory through the environment."""

import os
import tempfile

# Each pytest-xdist worker gets its own data directory: the controller's (inherited through the
# environment) would be shared, and a demo load's credentials file in it changes every page.
if os.environ.get("PYTEST_XDIST_WORKER") or not os.environ.get("TABYIN_DATA_DIR"):
    os.environ["TABYIN_DATA_DIR"] = tempfile.mkdtemp(prefix="tabyin-test-")
os.environ.setdefault("TABYIN_TASKS_EAGER", "true")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made there are
# still synchronous, so Django's async-safety guard is a false alarm in tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Receipt hashing at its lowest cost: the production cost (3 × 64 MB) is measured in benchmarks.
os.environ.setdefault("TABYIN_RECEIPT_HASH_OPS", "1")
os.environ.setdefault("TABYIN_RECEIPT_HASH_MB", "8")
# The form challenge at 8 bits: a handful of hashes (tests/browser solve the production difficulty).
os.environ.setdefault("TABYIN_REPORTS_POW_BITS", "8")
# Every publish-counter read goes to the shared cache unless a test sets a memo time itself.
os.environ.setdefault("TABYIN_CACHE_VERSION_TTL_MS", "0")

from tabyin.config.settings import *  # noqa: F403

# Fast hashing in tests only: the production hasher is deliberately slow.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
