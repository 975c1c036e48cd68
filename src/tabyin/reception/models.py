"""Django finds an app's models here: each feature package's models are imported below."""

from tabyin.reception.meetings.models import Commitment, Meeting, MeetingQuestion, QuestionVote, Registration
from tabyin.reception.messages.models import Announcement, ClusterAnswer, KeyMessage
from tabyin.reception.plainlang.models import JargonEntry
from tabyin.reception.polls.models import Answer, Poll, Question, Response

__all__ = [
    "Announcement",
    "Answer",
    "ClusterAnswer",
    "Commitment",
    "JargonEntry",
    "KeyMessage",
    "Meeting",
    "MeetingQuestion",
    "Poll",
    "Question",
    "QuestionVote",
    "Registration",
    "Response",
]
