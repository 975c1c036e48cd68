"""Published tables as files: CSV, XLSX, JSON and Frictionless data packages.

Writers take rows from ``selectors_data.rows`` and never touch the database themselves, so a
view decides the queries and a writer only formats. ``tabular`` holds the three table formats,
``datapackage`` the Frictionless descriptor, and this module what both share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    url: str


# SPDX identifiers (what Dataset.license_id stores) → title and canonical address. A deployment
# that uses another licence gets its id as the title and no address until it is added here.
LICENCES: Final = {
    "CC-BY-4.0": Licence(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": Licence(
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": Licence(
        "CC0-1.0",
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODbL-1.0": Licence(
        "ODbL-1.0",
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": Licence(
        "PDDL-1.0",
        "Open Data Commons Public Domain Dedication and License v1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}


def licence(license_id: str) -> Licence:
    return LICENCES.get(license_id, Licence(license_id, license_id, ""))


MEDIA_TYPES: Final = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
