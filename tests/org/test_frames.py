import numpy as np
import pandas as pd
from django.db.models import BooleanField, ExpressionWrapper, Q

from org.frames import as_bool, fetch_frame, fetch_rows
from org.models import Officer
from tests.factories import OfficerFactory


def test_fetch_frame_returns_the_querysets_rows_without_converters(db):
    on_duty = OfficerFactory(enforcement_duty=True)
    off_duty = OfficerFactory(enforcement_duty=False)
    queryset = (
        Officer.objects.filter(pk__in=[on_duty.pk, off_duty.pk])
        .order_by("pk")
        .annotate(duty=ExpressionWrapper(Q(enforcement_duty=True), output_field=BooleanField()))
        .values_list("pk", "employee_no", "duty")
    )
    assert [row[:2] for row in fetch_rows(queryset)] == [
        (on_duty.pk, on_duty.employee_no),
        (off_duty.pk, off_duty.employee_no),
    ]
    frame = fetch_frame(queryset, ["officer_id", "employee_no", "duty"])
    assert list(frame.columns) == ["officer_id", "employee_no", "duty"]
    assert as_bool(frame["duty"]).tolist() == [True, False]  # SQLite returns 1/0, PostgreSQL True/False


def test_as_bool_treats_null_as_false():
    assert as_bool(pd.Series([True, None, False], dtype=object)).tolist() == [True, False, False]
    assert as_bool(pd.Series([1.0, np.nan, 0.0])).tolist() == [True, False, False]
    assert as_bool(pd.Series([1, 0])).dtype == bool
