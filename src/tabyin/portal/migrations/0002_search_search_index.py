"""The search index: one row per searchable page, and the engine's full-text structure beside it.

SQLite: an FTS5 table with the documents as external content, kept in step by triggers.
PostgreSQL: a generated tsvector column ('simple' configuration: the terms are already normalized
and stemmed in Python by ``search_analysis``) with a GIN index. Then the index is filled from the
rows that exist (a new database has none). See ADR 0015.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    (
        "CREATE VIRTUAL TABLE portal_searchdoc_fts USING fts5("
        "title_terms, body_terms, content='portal_searchdoc', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    ),
    (
        "CREATE TRIGGER portal_searchdoc_ai AFTER INSERT ON portal_searchdoc BEGIN "
        "INSERT INTO portal_searchdoc_fts(rowid, title_terms, body_terms) "
        "VALUES (new.id, new.title_terms, new.body_terms); END"
    ),
    (
        "CREATE TRIGGER portal_searchdoc_ad AFTER DELETE ON portal_searchdoc BEGIN "
        "INSERT INTO portal_searchdoc_fts(portal_searchdoc_fts, rowid, title_terms, body_terms) "
        "VALUES ('delete', old.id, old.title_terms, old.body_terms); END"
    ),
    (
        "CREATE TRIGGER portal_searchdoc_au AFTER UPDATE ON portal_searchdoc BEGIN "
        "INSERT INTO portal_searchdoc_fts(portal_searchdoc_fts, rowid, title_terms, body_terms) "
        "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
        "INSERT INTO portal_searchdoc_fts(rowid, title_terms, body_terms) "
        "VALUES (new.id, new.title_terms, new.body_terms); END"
    ),
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_searchdoc_au",
    "DROP TRIGGER IF EXISTS portal_searchdoc_ad",
    "DROP TRIGGER IF EXISTS portal_searchdoc_ai",
    "DROP TABLE IF EXISTS portal_searchdoc_fts",
]
POSTGRES_FORWARD = [
    (
        "ALTER TABLE portal_searchdoc ADD COLUMN terms_tsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, title_terms || ' ' || body_terms)) STORED"
    ),
    "CREATE INDEX portal_searchdoc_terms_tsv ON portal_searchdoc USING gin (terms_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_searchdoc_terms_tsv",
    "ALTER TABLE portal_searchdoc DROP COLUMN IF EXISTS terms_tsv",
]


def _run(schema_editor, sqlite, postgres):  # type: ignore[no-untyped-def]
    statements = {"sqlite": sqlite, "postgresql": postgres}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def fts_forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE_FORWARD, POSTGRES_FORWARD)


def fts_backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE_BACKWARD, POSTGRES_BACKWARD)


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Index the rows that exist, with the historical models (the builders read attributes only)."""
    from tabyin.portal.search import index as search_index

    OrgUnit = apps.get_model("core", "OrgUnit")
    docs = [search_index.province_doc(u) for u in OrgUnit.objects.filter(kind="province", is_active=True)]
    docs += [search_index.theme_doc(t) for t in apps.get_model("portal", "Theme").objects.all()]
    for d in apps.get_model("portal", "Dataset").objects.select_related("theme"):
        docs.append(search_index.dataset_doc(d, d.theme.code))
    for i in apps.get_model("portal", "Indicator").objects.select_related("theme"):
        docs.append(search_index.indicator_doc(i, i.theme.code))
    explanations = apps.get_model("portal", "Explanation").objects.filter(state="published")
    for e in explanations.select_related("indicator__theme"):
        docs.append(search_index.explanation_doc(e, e.indicator.theme.code))
    SearchDoc = apps.get_model("portal", "SearchDoc")
    SearchDoc.objects.bulk_create(SearchDoc(**d) for d in docs)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDoc",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=16)),
                ("key", models.CharField(max_length=100)),
                ("theme", models.CharField(blank=True, default="", max_length=64)),
                ("area", models.CharField(blank=True, default="", max_length=5)),
                ("period", models.CharField(blank=True, default="", max_length=7)),
                ("title_fa", models.CharField(max_length=300)),
                ("title_en", models.CharField(blank=True, default="", max_length=300)),
                ("text_fa", models.TextField(blank=True, default="")),
                ("text_en", models.TextField(blank=True, default="")),
                ("title_terms", models.TextField(blank=True, default="")),
                ("body_terms", models.TextField(blank=True, default="")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "key"), name="portal_searchdoc_kind_key")
                ],
            },
        ),
        migrations.RunPython(fts_forward, fts_backward),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
