"""Rows of a queryset straight from the database cursor, for the vectorised selectors over 100,000 officers
(learning's hours frame, exams' passes frame, certification's status frame).

`QuerySet.values_list` runs every row through the ORM's per-row converters (hundreds of thousands of Python calls
at that scale); these helpers execute the same compiled SQL and return the driver's tuples. Select only columns
whose raw value is the same on every backend: integers, strings, and booleans or NULL (SQLite returns 1/0 for a
boolean: pass such columns through `as_bool`). Not for dates, datetimes or decimals (SQLite returns text or floats
for those), nor PostgreSQL numerics such as `EXTRACT(YEAR ...)` or the SUM of a bigint (Decimals): compare or
cast them in the query instead."""

from __future__ import annotations

import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def fetch_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a `values_list`/`values` queryset as the database driver returns them (no ORM converters)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. filter(pk__in=[]): Django knows there are no rows without asking
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_frame(queryset: QuerySet, columns: list[str]) -> pd.DataFrame:
    """`fetch_rows` as a DataFrame with the given column names (in the queryset's column order)."""
    return pd.DataFrame.from_records(fetch_rows(queryset), columns=columns)


def as_bool(column: pd.Series) -> pd.Series:
    """A boolean column as fetched (True/False, or 1/0 on SQLite, NULL → False) as a numpy bool Series."""
    return (column.notna() & column.astype(bool)).astype(bool)
