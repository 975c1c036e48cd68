"""``TabyinEnv`` is composed of one group of fields per sub-domain (``config/env_groups/``): every
field and every validator of every group reaches the composed class, and nothing else does."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from tabyin.config.env import TabyinEnv
from tabyin.config.env_groups.base import EnvGroup

GROUPS = [base for base in TabyinEnv.__bases__ if issubclass(base, EnvGroup)]


def _validators(model: type[BaseModel]) -> dict[str, tuple[object, tuple[str, ...]]]:
    return {
        # The function itself: each class binds the classmethod anew.
        name: (getattr(decorator.func, "__func__", decorator.func), tuple(decorator.info.fields))
        for name, decorator in model.__pydantic_decorators__.field_validators.items()
    }


def test_the_groups_are_the_bases_and_share_no_field() -> None:
    assert len(GROUPS) == len(TabyinEnv.__bases__) == 6
    names = [name for group in GROUPS for name in group.model_fields]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(TabyinEnv.model_fields)


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.__name__)
def test_every_validator_of_a_group_survives_the_composition(group: type[EnvGroup]) -> None:
    composed = _validators(TabyinEnv)

    for name, validator in _validators(group).items():
        assert composed.get(name) == validator, f"{group.__name__}.{name} is hidden by another group's"


def test_comma_lists_of_two_groups_both_split() -> None:
    env = TabyinEnv.model_validate(
        {"TABYIN_ALLOWED_HOSTS": " a.ir, ,b.ir ,", "TABYIN_MONITOR_BRIEF_RECIPIENTS": "x@y.ir,z@y.ir"}
    )

    assert env.allowed_hosts == ["a.ir", "b.ir"]
    assert env.monitor_brief_recipients == ["x@y.ir", "z@y.ir"]
