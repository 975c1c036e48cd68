"""Active learning: the page of posts the sentiment model is least sure of, labelled in one click."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tabyin.core.models import User
from tabyin.monitor.ingest.selectors import classifier_current
from tabyin.monitor.models import ClassifierModel, Correction, Post
from tabyin.monitor.queries import selectors_sentiment
from tests.monitor import builders

H = timedelta(hours=1)


@pytest.fixture
def posts(db: Any) -> dict[str, Post]:
    """Posts whose default-model margins are known: «خوب» 0.0621, «مشکل» 0.137, «عالی» 0.3616,
    no evidence 0.4 (twice, at two times), «افتضاح» 0.4337; and one post staff already labelled."""
    source, story = builders.source("c1"), builders.story()
    texts = {
        "good": ("خدمات خوب", builders.NOW - 5 * H),
        "problem": ("مشکل در سامانه", builders.NOW - 4 * H),
        "great": ("خدمات عالی", builders.NOW - 3 * H),
        "plain_old": ("جلسه هیئت مدیره برگزار شد", builders.NOW - 2 * H),
        "plain_new": ("جلسه هیئت مدیره برگزار شد", builders.NOW - 1 * H),
        "awful": ("خدمات افتضاح", builders.NOW - 6 * H),
        "labelled": ("خدمات خیلی عالی", builders.NOW),
    }
    made = {key: builders.post(source, story, at, text=text) for key, (text, at) in texts.items()}
    Correction.objects.create(post=made["labelled"], sentiment="positive", at=builders.NOW)
    return made


@pytest.mark.django_db
def test_least_sure_first_then_newest(posts: dict[str, Post], hq_analyst: User) -> None:
    rows = selectors_sentiment.uncertain_posts(actor=hq_analyst)
    assert [(r.post.pk, r.label, r.margin) for r in rows] == [
        (posts["good"].pk, "positive", 0.0621),
        (posts["problem"].pk, "negative", 0.137),
        (posts["great"].pk, "positive", 0.3616),
        (posts["plain_new"].pk, "neutral", 0.4),
        (posts["plain_old"].pk, "neutral", 0.4),
        (posts["awful"].pk, "negative", 0.4337),
    ]
    assert [r.post.pk for r in selectors_sentiment.uncertain_posts(actor=hq_analyst, limit=2)] == [
        posts["good"].pk,
        posts["problem"].pk,
    ]
    # The pool is the newest posts: with a pool of 2, only the two newest unlabelled ones.
    pool = selectors_sentiment.uncertain_posts(actor=hq_analyst, pool=2)
    assert [r.post.pk for r in pool] == [posts["plain_new"].pk, posts["plain_old"].pk]


@pytest.mark.django_db
def test_only_analysts_may_see_and_label(
    posts: dict[str, Post], hq_admin: User, tehran_officer: User, staff_client: Any
) -> None:
    with pytest.raises(PermissionDenied):
        selectors_sentiment.uncertain_posts(actor=hq_admin)
    url = reverse("monitor:sentiment-review")
    for user in (hq_admin, tehran_officer):
        assert staff_client(user).get(url).status_code == 403
        assert staff_client(user).post(reverse("monitor:sentiment-retrain")).status_code == 403
    assert ClassifierModel.objects.count() == 0


@pytest.mark.django_db
def test_one_click_labels_a_post_and_retraining_learns_it(
    posts: dict[str, Post], hq_analyst: User, staff_client: Any
) -> None:
    client = staff_client(hq_analyst)
    url = reverse("monitor:sentiment-review")
    page = client.get(url).content.decode()
    correct = reverse("monitor:correct", args=[posts["good"].pk])
    assert f'action="{correct}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert page.index(f'data-post="{posts["good"].pk}"') < page.index(f'data-post="{posts["awful"].pk}"')
    assert f'href="{url}"' in page  # the section menu links here
    # One click: the button carries the label; the form comes back to this page.
    response = client.post(correct, {"sentiment": "negative", "next": url})
    assert (response.status_code, response["Location"]) == (302, url)
    assert Correction.objects.get(post=posts["good"]).sentiment == "negative"
    assert f'data-post="{posts["good"].pk}"' not in client.get(url).content.decode()
    response = client.post(reverse("monitor:sentiment-retrain"))
    assert (response.status_code, response["Location"]) == (302, url)
    model = ClassifierModel.objects.get(is_active=True)
    assert (model.corrections, model.samples) == (2, 0)
    # The rules read «خدمات خوب» as positive; the analyst said negative, and the model learnt it.
    assert classifier_current().predict("خدمات خوب")[0] == "negative"


@pytest.mark.django_db
def test_menu_link_only_for_analysts(hq_admin: User, hq_analyst: User, staff_client: Any) -> None:
    url = reverse("monitor:sentiment-review")
    dashboard = reverse("monitor:dashboard")
    assert f'href="{url}"' in staff_client(hq_analyst).get(dashboard).content.decode()
    assert f'href="{url}"' not in staff_client(hq_admin).get(dashboard).content.decode()
