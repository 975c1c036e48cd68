"""The plain Persian sentence under each estimate: what the numbers allow one to say, and what not.

Numbers are written here, not through ``tabyin.core.display.numbers``: that module imports Django
(translation) and this package stays importable without it. Only the separators are local; the
digits go through ``tabyin.core.persian_text``, Tabyin's one digit table.
"""

from __future__ import annotations

from typing import Final

from tabyin.campaigns.effects.report import Fit, MethodName, Placebo
from tabyin.core.persian_text import digits_to_persian

__all__ = ["METHOD_NAMES_FA", "persian_number", "sentence"]

# Same characters as the display kit: «٬» thousands, «٫» decimals, U+2212 minus.
_PUNCTUATION: Final = str.maketrans({",": "\u066c", ".": "\u066b", "-": "\u2212"})

METHOD_NAMES_FA: Final[dict[MethodName, str]] = {
    "its": "سری زمانی منقطع",
    "did": "تفاضل در تفاضل",
    "staggered": "تفاضل در تفاضل با شروع‌های پلکانی (کالاوی–سانتانا)",
    "synth": "کنترل مصنوعی",
}

_LIMITS: Final[dict[MethodName, str]] = {
    "its": (
        "این روش استان مقایسه ندارد: هر رویداد دیگری که هم‌زمان با شروع کارزار رخ داده باشد "
        "(قانون، قیمت یا خبری سراسری) هم در این عدد حساب شده است."
    ),
    "did": (
        "این برآورد فرض می‌کند که بی‌کارزار، استان‌های کارزار و استان‌های کنارگذاشته هم‌روند می‌ماندند؛ "
        "رویدادی که فقط در استان‌های کارزار رخ داده باشد از اثر کارزار جدا نمی‌شود."
    ),
    "staggered": (
        "هر گروه از استان‌ها فقط با استان‌های کنارگذاشته و با ماه پیش از شروع خودش مقایسه شده است؛ "
        "فرض هم‌روندی همچنان لازم است."
    ),
    "synth": (
        "استان مقایسه از ترکیب وزن‌دار استان‌های بی‌کارزار ساخته شده است؛ اگر پیش از شروع خوب جور نشده "
        "باشد یا رویدادی فقط در استان‌های کارزار رخ داده باشد، این عدد گمراه‌کننده است."
    ),
}


def persian_number(value: float, places: int = 1) -> str:
    """``-1234.56`` → «−۱٬۲۳۴٫۶»; a value that rounds to zero has no sign."""
    text = format(value, f",.{places}f")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    return digits_to_persian(text).translate(_PUNCTUATION)


def sentence(method: MethodName, fit: Fit, placebos: tuple[Placebo, ...]) -> str:
    name = METHOD_NAMES_FA[method]
    low, high = persian_number(fit.ci_low), persian_number(fit.ci_high)
    parts = [
        f"به روش {name}، میانگین اثر کارزار در هر استان و هر ماه پس از شروع {persian_number(fit.estimate)} "
        f"برآورد شد (بازهٔ اطمینان ۹۵٪: از {low} تا {high})."
    ]
    failed = [p for p in placebos if not p.passed]
    if failed:
        kinds = "، ".join("تاریخ ساختگی" if p.kind == "date" else "استان ساختگی" for p in failed)
        parts.append(
            f"آزمون ساختگی ({kinds}) جایی که کارزاری نبود اثر یافت؛ "
            "پس این روش روی این داده‌ها قابل اعتماد نیست و از این عدد نتیجه‌ای نگیرید."
        )
    elif fit.covers_zero:
        parts.append("این بازه صفر را در بر می‌گیرد: از این داده‌ها نمی‌توان گفت کارزار نتیجه را تغییر داد یا نه.")
    else:
        direction = "افزایش" if fit.estimate > 0 else "کاهش"
        parts.append(
            f"بازه صفر را در بر نمی‌گیرد و آزمون‌های ساختگی اثری نیافتند؛ پس می‌توان گفت نتیجه پس از کارزار "
            f"{direction} یافت، اما اندازهٔ دقیق آن در همین بازه نامعلوم است."
        )
    parts.append(_LIMITS[method])
    return " ".join(parts)
