"""The demo's mentorship data: a programme of this year with its pairs, active ones with confirmed check-ins
(hours on both sides), two quiet, three completed with both evaluations; a second run adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from learning.models import CreditEntry
from mentorship import selectors
from mentorship.models import CheckIn, Evaluation, Pair
from org.models import User


def test_demo_mentorship(db):
    call_command("seed_demo", stdout=io.StringIO())
    from django.utils import timezone

    year = timezone.localdate().year
    hr = User.objects.get(username="hr01")
    counts = selectors.year_counts(year=year)
    assert 14 <= counts["pairs_formed"] <= 22
    assert counts["pairs_completed"] == 3
    data = selectors.board(viewer=hr, year=year)
    assert len(data["quiet"]) >= 2
    assert len(data["ended"]) == 3
    assert Evaluation.objects.count() == 6
    assert CheckIn.objects.filter(confirmed_at__isnull=True).count() == 1
    assert CreditEntry.objects.filter(source_kind="mentorship", category_id="mentoring").exists()
    assert CreditEntry.objects.filter(source_kind="mentorship", category_id="business").exists()
    before = (Pair.objects.count(), CheckIn.objects.count(), CreditEntry.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Pair.objects.count(), CheckIn.objects.count(), CreditEntry.objects.count()) == before
