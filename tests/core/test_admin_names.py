"""The back office in Persian: every app and every model has a translatable name with a Persian
translation, so admin headings, breadcrumbs and the audit log's sentences never fall back to the
class name in English."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from tabyin.core.admin import admin_site
from tabyin.core.models import User

OURS = [config for config in apps.get_app_configs() if config.name.startswith("tabyin.")]
MODELS = [model for config in OURS for model in config.get_models()]


def _persian(text: str) -> bool:
    return bool(re.search(r"[\u0600-\u06FF]", text))


@pytest.mark.parametrize("config", OURS, ids=lambda c: c.label)
def test_every_app_name_is_translated(config: object) -> None:
    name = config.verbose_name  # type: ignore[attr-defined]
    with translation.override("fa"):
        assert isinstance(name, Promise) and _persian(str(name)), name


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_name_is_declared_and_translated(model: type) -> None:
    meta = model._meta  # type: ignore[attr-defined]
    assert isinstance(meta.verbose_name, Promise), f"{meta.label} has no Meta.verbose_name"
    assert isinstance(meta.verbose_name_plural, Promise), f"{meta.label} has no Meta.verbose_name_plural"
    with translation.override("fa"):
        assert _persian(str(meta.verbose_name)) and _persian(str(meta.verbose_name_plural)), meta.label


def test_the_admin_index_reads_persian_headings(hq_admin: User, staff_client: object) -> None:
    client: Client = staff_client(hq_admin)  # type: ignore[operator]

    html = client.get("/staff/admin/").content.decode()

    with translation.override("fa"):
        expected = {str(apps.get_app_config(label).verbose_name) for label in ("core", "portal")}
        expected |= {str(model._meta.verbose_name_plural) for model in admin_site._registry}
        assert str(admin_site.site_header) in html
    assert {text for text in expected if text not in html} == set()
