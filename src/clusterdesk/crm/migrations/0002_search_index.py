"""The French full-text index of organisations, on PostgreSQL only (SQLite searches with
LIKE on the same folded text)."""

from django.db import migrations

INDEX = "crm_organisation_search_fr"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON crm_organisation "
            "USING gin (to_tsvector('french'::regconfig, COALESCE(search_text, '')))"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
