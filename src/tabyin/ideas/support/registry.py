"""The hook for challenges open to insured people only: the organization's own registry answers.

``TABYIN_IDEAS_INSURED_REGISTRY`` names a callable ``(insurance_number, national_code) -> bool``
(dotted path). Empty means no registry is connected: supports of an insured-only challenge are then
refused with a clear message rather than counted unchecked. ``national_code_valid`` is the public
check-digit rule of the Iranian national code, which every registry adapter should apply first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from tabyin.core.persian_text import digits_to_ascii

Check = Callable[[str, str], bool]


class RegistryUnavailableError(Exception):
    pass


def national_code_valid(code: str) -> bool:
    digits = digits_to_ascii(code or "").strip()
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(digits[i]) * (10 - i) for i in range(9)) % 11
    check = int(digits[9])
    return check == total if total < 2 else check == 11 - total


def checksum_only(insurance_number: str, national_code: str) -> bool:
    """A stand-in for demonstrations and tests: accepts any well-formed pair. Never in production."""
    return national_code_valid(national_code) and digits_to_ascii(insurance_number).strip().isdigit()


def insured(insurance_number: str, national_code: str) -> bool:
    path = settings.TABYIN_IDEAS_INSURED_REGISTRY
    if not path:
        raise RegistryUnavailableError("no registry of insured people is connected")
    check: Check = import_string(path)
    return check(insurance_number, national_code)
