"""``tabyin manage portal_search_rebuild``: write the search index again from the rows.

The services keep the index in step; this is for after a change to the analysis (stemmer,
synonym list) or a restore, when every stored document must be re-analysed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tabyin.portal.search import index as search_index


class Command(BaseCommand):
    help = (
        "Rebuild the transparency site's search index "
        "(provinces, themes, datasets, indicators, explanations)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"search index: {search_index.rebuild()} documents")
