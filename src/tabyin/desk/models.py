"""Django finds the app's models here."""

from tabyin.desk.intake.models import Comment, Delivery, DeskRequest, Move, RequestFile, ServiceLevel

__all__ = ["Comment", "Delivery", "DeskRequest", "Move", "RequestFile", "ServiceLevel"]
