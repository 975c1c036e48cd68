"""Django finds an app's models here: each feature package's models are imported below."""

from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry, EntryFile, EntryVersion, Notice
from tabyin.ideas.identity.models import OneTimeCode
from tabyin.ideas.judging.models import Assignment, Comparison, Conflict, JurorSeat, Score
from tabyin.ideas.results.models import Announcement, Implementation, Milestone
from tabyin.ideas.support.models import Support

__all__ = [
    "Announcement",
    "Assignment",
    "Challenge",
    "Comparison",
    "Conflict",
    "Entry",
    "EntryFile",
    "EntryVersion",
    "Implementation",
    "JurorSeat",
    "Milestone",
    "Notice",
    "OneTimeCode",
    "Score",
    "Support",
]
