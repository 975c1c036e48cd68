"""Field types for the API's request bodies.

``Text`` is a string without NUL characters: the web forms drop them (Django's form fields refuse
them), but an API body reaches the services directly, and PostgreSQL cannot store a NUL in text (a
500 rather than a 422). Use it for every free-text input of a body.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters (\\u0000) are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
