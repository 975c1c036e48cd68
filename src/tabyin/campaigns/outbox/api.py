"""/api/v1/news/: the campaigns' published news pages for client apps (a django-ninja Router
contributed to core's public API; docs/modules/api.md). Read-only: what /news/<slug>/ shows."""

# No "from __future__ import annotations": django-ninja reads these annotations at import.
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.params import functions as params
from pydantic import ConfigDict

from tabyin.campaigns.outbox import selectors
from tabyin.campaigns.outbox.models import Message
from tabyin.core.api.problems import Problem, ProblemError

router = Router(tags=["news"])
PER_PAGE = 20
SLUG = params.Path(..., min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
PAGE = params.Query(1, ge=1, le=100_000)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class NewsOut(_Strict):
    slug: str
    title: str
    body: str = Field(description="Plain text with line breaks.")
    image_url: str = Field(description="An image to show with it, or empty.")
    published_at: str = Field(description="ISO 8601.")
    url: str = Field(description="The news page on the public site.")


class NewsPageOut(_Strict):
    count: int
    page: int
    pages: int
    results: list[NewsOut]


def _news(message: Message) -> dict[str, Any]:
    assert message.published_at is not None
    return {
        "slug": message.slug,
        "title": message.title,
        "body": message.body,
        "image_url": message.image_url,
        "published_at": message.published_at.isoformat(),
        "url": selectors.news_url(message),
    }


@router.get(
    "/", response={200: NewsPageOut}, url_name="news-list", summary="Published news, newest first, 20 a page"
)
def news_list(request: HttpRequest, page: int = PAGE) -> dict[str, Any]:
    paginator = Paginator(selectors.public_messages(), PER_PAGE)
    found = paginator.get_page(page)  # past the last page: the last page, as the site's lists
    return {
        "count": paginator.count,
        "page": found.number,
        "pages": paginator.num_pages,
        "results": [_news(m) for m in found.object_list],
    }


@router.get("/{slug}", response={200: NewsOut}, url_name="news", summary="One published news page")
def news(request: HttpRequest, slug: str = SLUG) -> dict[str, Any]:
    message = selectors.public_message(slug=slug)
    if message is None:
        raise ProblemError(Problem(404, _("There is no published news page at this address.")))
    return _news(message)
