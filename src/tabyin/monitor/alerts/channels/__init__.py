"""Delivery channels of alerts: one folder per channel behind ``base.Sender``, with samples."""

from tabyin.monitor.alerts.channels.base import DeliveryError, Message, Sender

__all__ = ["DeliveryError", "Message", "Sender"]
