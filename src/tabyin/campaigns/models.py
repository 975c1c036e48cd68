"""Django finds an app's models here: each feature package's models are imported below."""

from tabyin.campaigns.impact.models import EffectEstimate
from tabyin.campaigns.outbox.models import Delivery, Message, ShortLink, Subscriber
from tabyin.campaigns.plan.models import Campaign, CampaignProvince, KeyMessage, Material, OutcomePoint

__all__ = [
    "Campaign",
    "CampaignProvince",
    "Delivery",
    "EffectEstimate",
    "KeyMessage",
    "Material",
    "Message",
    "OutcomePoint",
    "ShortLink",
    "Subscriber",
]
