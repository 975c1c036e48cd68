"""``{% capture name %}…{% endcapture %}``: render a piece of template once and keep the result
in the context, so the base layout can use a page's ``{% block title %}`` both in ``<title>`` and
in the Open Graph tags a messenger reads (a block may appear only once in a template).

The captured text is already escaped by its own rendering; whitespace runs are collapsed so it
reads as one line inside an attribute.
"""

from __future__ import annotations

import re

from django import template
from django.template.base import NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import mark_safe

register = template.Library()
_SPACE = re.compile(r"\s+")


class CaptureNode(template.Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        text = _SPACE.sub(" ", self.nodelist.render(context)).strip()
        context[self.name] = mark_safe(text)  # noqa: S308 - the output of escaped template rendering
        return ""


@register.tag
def capture(parser: Parser, token: Token) -> CaptureNode:
    bits = token.split_contents()
    if len(bits) != 2 or not bits[1].isidentifier():
        raise template.TemplateSyntaxError("usage: {% capture name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(bits[1], nodelist)
