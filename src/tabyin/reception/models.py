"""Django finds an app's models here: each feature package's models are imported below."""

from tabyin.reception.plainlang.models import JargonEntry
from tabyin.reception.polls.models import Answer, Poll, Question, Response

__all__ = ["Answer", "JargonEntry", "Poll", "Question", "Response"]
