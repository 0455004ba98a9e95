"""Append-only rows (the study-credit ledger, certificate events): written once, never changed or removed in code.

PostgreSQL triggers (each app's migrations) refuse the same at the database; these guards make a mistake in Python
fail loudly on SQLite too. A correction is always a new row that names the one it corrects."""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    """Code tried to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise self.model.append_only_error(self.model.append_only_message)

    def delete(self):
        raise self.model.append_only_error(self.model.append_only_message)

    def bulk_update(self, objs, fields, batch_size=None):
        raise self.model.append_only_error(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """Abstract base: save() only inserts, delete() refuses. Subclasses name their error and message."""

    append_only_error: type[Exception] = AppendOnlyError
    append_only_message = "append-only"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.append_only_error(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.append_only_error(self.append_only_message)
