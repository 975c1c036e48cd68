"""``{% amplifiers story net as rows %}``: the ranked amplifier list for the story page's network
panel. The story view hands the partial the story and its drawn network; the list's two extra
queries are read here so the panel stays one include on the page."""

from __future__ import annotations

from django import template

from tabyin.monitor.dashboard import selectors_network
from tabyin.monitor.dashboard.network import Network
from tabyin.monitor.models import Story

register = template.Library()


@register.simple_tag
def amplifiers(story: Story, net: Network) -> list[selectors_network.Amplifier]:
    channels = {row.channel.pk: row.channel for row in net.reach}
    first_seen = {row.channel.pk: row.first_at for row in net.reach}
    return selectors_network.amplifiers(
        story_id=story.pk, channels=channels, first_seen=first_seen, hostile=set(net.hostile)
    )
