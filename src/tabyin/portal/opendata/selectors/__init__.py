"""Reads behind the open-data interfaces (catalogue pages, downloads, /api/v1, CKAN, DCAT).

Everything here is public data: no scope and no actor, because only published figures and
published explanations are ever read. Split by concern:

* ``filters`` — the query language the interfaces share (periods, areas, statuses) and its errors;
* ``rows`` — observation rows as published tables, with keyset paging and aggregates;
* ``catalogue`` — themes, datasets, indicators, releases, revisions and explanations.
"""
