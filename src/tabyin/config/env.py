"""The one place that reads the process environment.

Every variable Tabyin understands is a field of :class:`TabyinEnv`, with its type, a safe embedded
default and a line of documentation. The fields live in ``env_groups/``, one class per sub-domain
(deployment, runtime, messaging, reports, monitor, the other apps), each with the validators of its
own fields. ``docs/settings.md`` is checked against this class by a test, so adding a field without
documenting it fails CI.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import AliasChoices, ValidationError

from tabyin.config.env_groups.apps import AppsEnv
from tabyin.config.env_groups.deployment import DeploymentEnv
from tabyin.config.env_groups.messaging import MessagingEnv
from tabyin.config.env_groups.monitor import MonitorEnv
from tabyin.config.env_groups.reports import ReportsEnv
from tabyin.config.env_groups.runtime import RuntimeEnv


class ConfigError(Exception):
    """A setting has a bad value; the message names the variable and how to fix it."""


# pydantic takes the fields of the last base first, so the groups are listed bottom-up: the fields
# run deployment, runtime, messaging, reports, monitor, apps (the order of validation errors).
class TabyinEnv(AppsEnv, MonitorEnv, ReportsEnv, MessagingEnv, RuntimeEnv, DeploymentEnv):
    """Validated from ``os.environ`` as a mapping (:func:`load`). A plain model, not
    pydantic-settings: its import was a tenth of a second of every command's start-up, for
    reading a dictionary. Lists come as comma-separated text (never JSON)."""

    @property
    def scaled(self) -> bool:
        return bool(self.redis_url)


def env_name(field_name: str) -> str:
    alias = TabyinEnv.model_fields[field_name].validation_alias
    assert isinstance(alias, AliasChoices)
    first = alias.choices[0]
    assert isinstance(first, str)
    return first


def _explain(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "?"
        name = field if field.isupper() else env_name(field)
        raw = os.environ.get(name, "")
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{name}={raw!r}: {message}")
    return "; ".join(lines)


@lru_cache(maxsize=1)
def load() -> TabyinEnv:
    """Read and validate the environment once per process."""
    try:
        env = TabyinEnv.model_validate(dict(os.environ))
    except ValidationError as error:
        raise ConfigError(_explain(error)) from None
    env.data_dir = env.data_dir.expanduser().absolute()
    return env
