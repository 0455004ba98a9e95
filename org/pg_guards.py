"""Database-level guards for append-only tables, for migrations: PostgreSQL refuses what the code already refuses
(SQLite, the embedded default, relies on the model guards of org/append_only.py).

TRUNCATE is refused unless the connection has set `zhifa.allow_truncate = on`: only the test settings do, because
Django's test flush empties tables with TRUNCATE; production never does."""

from __future__ import annotations

from django.db import migrations


def postgres_only(forward_sql: str, backward_sql: str) -> migrations.RunPython:
    """A RunPython operation that runs the SQL on PostgreSQL and does nothing elsewhere."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql, params=None)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql, params=None)

    return migrations.RunPython(forwards, backwards)


def refuse_truncate(table: str) -> migrations.RunPython:
    """A statement trigger that refuses TRUNCATE of the table (also a cascade from a parent)."""
    function, trigger = f"{table}_refuse_truncate", f"{table}_no_truncate"
    forward = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF current_setting('zhifa.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{table} keeps its history: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {trigger} ON {table};
CREATE TRIGGER {trigger} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    backward = f"""
DROP TRIGGER IF EXISTS {trigger} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    return postgres_only(forward, backward)


def refuse_update_delete(table: str, *, hint: str) -> migrations.RunPython:
    """A row trigger that refuses UPDATE and DELETE of the table's rows (append-only)."""
    function, trigger = f"{table}_append_only", f"{table}_no_change"
    forward = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: % refused ({hint})', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {trigger} ON {table};
CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    backward = f"""
DROP TRIGGER IF EXISTS {trigger} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    return postgres_only(forward, backward)
