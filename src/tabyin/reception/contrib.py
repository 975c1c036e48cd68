"""What the reception app contributes to the shell through core's registry."""

from __future__ import annotations


def register() -> None:
    """Each feature adds its navigation, demo step and figures here as it lands."""
