"""Drafts written for other apps (through ``registry.publish_draft``): one message in the standing
announcements campaign, left as a draft so that a senior manager approves it like any other."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.campaigns.enums import Channel, Segment
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.outbox.selectors import channel_link, render
from tabyin.campaigns.outbox.services_delivery import draft_address
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.services import audit_record


def standing_campaign() -> Campaign:
    """The standing announcements campaign, created the first time it is needed."""
    found = Campaign.objects.filter(standing=True).order_by("pk").first()
    if found is not None:
        return found
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title=_("Announcements"),
        aim=_("Announcements of the platform's other parts (e.g. a challenge's winners)."),
        segments=list(Segment.values),
        starts_on=today,
        ends_on=today + timedelta(days=3650),
        outcome_name="-",
        standing=True,
    )
    audit_record(actor=None, action=AuditAction.CREATE, obj=campaign, after={"standing": True})
    return campaign


def announcement_draft(*, actor: User, title: str, body: str, link: str) -> Message:
    """A draft for every channel its text fits. No campaigns right is asked of the author (the app
    that calls has checked its own): the senior manager's approval is the gate to the channels, and
    the author, as always, cannot approve it."""
    title = title.strip()[:120]
    body = f"{body.strip()}\n\n{link}" if link else body.strip()
    with transaction.atomic():
        campaign = standing_campaign()
        message = Message(campaign=campaign, title=title, body=body, author=actor)
        message.channels = [
            c
            for c in Channel.values
            if render(title=title, body=body, channel=c, link=channel_link(message, c)).fits
        ]
        message.slug = f"c{campaign.pk}-{secrets.token_hex(4)}"
        message.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=message,
            after={"channels": message.channels},
        )
    return message


def publish_draft(actor: User, title: str, body: str, link: str) -> str:
    """``registry.publish_draft``'s provider: the staff address of the new draft."""
    message = announcement_draft(actor=actor, title=title, body=body, link=link)
    return draft_address(message.pk)
