"""See tabyin/reception/__init__.py."""
