"""Django finds an app's models here: each feature package's models are imported below."""

from tabyin.reception.plainlang.models import JargonEntry

__all__ = ["JargonEntry"]
