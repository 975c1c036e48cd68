"""What every group of environment fields shares: the alias of a field and the model's reading rules."""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict


def env_var(name: str) -> AliasChoices:
    """The one environment variable a field is read from (``env.env_name`` reads it back)."""
    return AliasChoices(name)


def comma_list(value: object) -> object:
    """Lists come as comma-separated text (never JSON); spaces around items and empty items go."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class EnvGroup(BaseModel):
    """Base of every group, so the composed ``TabyinEnv`` and each group read alike: unknown
    variables are ignored, only the environment names are accepted, defaults are validated too.

    Name each validator uniquely across the groups: of two bases' validators with one name, the
    composed class silently keeps one (``tests/core/test_env_groups.py`` checks)."""

    model_config = ConfigDict(
        extra="ignore",
        populate_by_name=False,
        validate_default=True,
    )
