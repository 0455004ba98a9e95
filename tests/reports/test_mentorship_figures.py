"""The mentorship figures of the year's report come from the mentorship app itself (pairs published by its
services), counted by the mentee's unit; a year without a programme shows none of them."""

from __future__ import annotations

import datetime as dt

from mentorship import services
from mentorship.models import Pair
from reports.figures import year_report
from tests.certification.factories import certificate
from tests.mentorship.conftest import TODAY, mworld  # noqa: F401  (the fixture)


def test_pairs_published_by_mentorship_are_counted_by_the_mentees_squad(mworld):  # noqa: F811
    w = mworld
    report, _ = year_report(year=2026)
    assert not report.has_mentorship  # nothing published yet: the figures are not shown

    services.match_run(programme=w.programme, actor=w.hr, today=TODAY)
    services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    pairs = {p.mentee_id: p for p in Pair.objects.filter(programme=w.programme)}
    assert set(pairs) == {w.n1.pk, w.n2.pk, w.n3.pk}
    services.pair_end(pair=pairs[w.n1.pk], actor=w.hr, completed=True, today=dt.date(2026, 11, 1))
    certificate(w.n1, issued_on=dt.date(2026, 11, 20))

    report, _ = year_report(year=2026)
    assert report.has_mentorship
    total = report.counts()
    assert (total["pairs_formed"], total["pairs_completed"], total["mentees_certified"]) == (3, 1, 1)
    squad1, squad2 = report.counts(w.squad1.path), report.counts(w.squad2.path)
    assert (squad1["pairs_formed"], squad1["pairs_completed"]) == (2, 1)  # 陈静 and 杨磊
    assert (squad2["pairs_formed"], squad2["pairs_completed"]) == (1, 0)  # 赵敏
    assert not year_report(year=2025)[0].has_mentorship
