"""The status function over every state and transition, as a table. Pure: unsaved rows, no database.

The 2026 cycle opens 1 Nov 2026, its deadline is 31 Jan 2027, 30 days' grace: the last review day is 2 Mar 2027
and from 3 Mar 2027 (00:00 Asia/Shanghai) an unreviewed certificate is lapsed."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from certification.models import Certificate, CertificateEvent, ReviewCycle
from certification.status import (
    MAY_ENFORCE,
    STATUS_COLOURS,
    Status,
    derive_status,
    governing_cycle,
    local_today,
)

K = CertificateEvent.Kind
D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
_ids = itertools.count(1)
ISSUED_ON = D(2024, 3, 1)

C2025 = ReviewCycle(year=2025, window_opens=D(2025, 11, 1), deadline=D(2026, 1, 31), grace_days=30)
C2026 = ReviewCycle(year=2026, window_opens=D(2026, 11, 1), deadline=D(2027, 1, 31), grace_days=30)
C2026_NO_GRACE = ReviewCycle(year=2026, window_opens=D(2026, 11, 1), deadline=D(2027, 1, 31), grace_days=0)


def cert(issued_on=ISSUED_ON, valid_until=None):
    return Certificate(pk=1, officer_id=1, number="X1", issued_on=issued_on, valid_until=valid_until)


def ev(kind, on, **kw):
    return CertificateEvent(pk=next(_ids), certificate_id=1, kind=kind, effective_on=on, **kw)


def issued(on=ISSUED_ON):
    return ev(K.ISSUED, on)


def passed(year, on=None, seq=1):
    return ev(K.REVIEW_PASSED, on or D(year, 12, 1), year=year, seq=seq)


def failed(year, on=None, seq=1):
    return ev(K.REVIEW_FAILED, on or D(year, 12, 1), year=year, seq=seq)


def status(events, today, *, certificate=None, cycle=C2026, eligible=True, earlier=()):
    certificate = certificate or cert()
    return derive_status(
        certificate=certificate,
        events=[issued(certificate.issued_on), *events],
        cycle=cycle,
        eligible=eligible,
        today=today,
        earlier_cycle_years=earlier,
    )


def test_no_certificate_is_uncertified():
    result = derive_status(certificate=None, events=[], cycle=C2026, eligible=True, today=D(2026, 11, 30))
    assert result.status == Status.UNCERTIFIED
    assert not result.may_enforce


@pytest.mark.parametrize(
    ("today", "eligible", "expected", "valid_for"),
    [
        # before the lead: governed by the 2025 cycle, which was passed
        (D(2026, 9, 30), False, Status.VALID, 2025),
        # within 30 days before the window: at risk if a condition is unmet, valid otherwise
        (D(2026, 10, 2), False, Status.AT_RISK, 2025),
        (D(2026, 10, 2), True, Status.VALID, 2025),
        # window open
        (D(2026, 11, 1), True, Status.REVIEW_DUE, 2025),
        (D(2026, 11, 1), False, Status.AT_RISK, 2025),
        (D(2026, 11, 1), None, Status.AT_RISK, 2025),
        # deadline day, then grace (still reviewable), then the last grace day, then lapsed
        (D(2027, 1, 31), True, Status.REVIEW_DUE, 2025),
        (D(2027, 2, 1), True, Status.REVIEW_DUE, 2025),
        (D(2027, 3, 2), False, Status.AT_RISK, 2025),
        (D(2027, 3, 3), True, Status.LAPSED, None),
        (D(2027, 3, 3), False, Status.LAPSED, None),
    ],
)
def test_cycle_transitions_without_a_review(today, eligible, expected, valid_for):
    # The certificate was issued in 2024: 2024 counts as covered (first year), 2025 was not reviewed in this row
    # unless the previous cycle is passed in: give it a 2025 pass so only 2026 is in question.
    events = [passed(2025, on=D(2025, 12, 1))]
    result = status(events, today, eligible=eligible, cycle=governing_cycle([C2025, C2026], today))
    assert result.status == expected
    if valid_for is not None:
        assert result.valid_for_year == valid_for
    assert result.colour == STATUS_COLOURS[expected]


def test_passed_review_makes_valid_for_the_year_at_once_and_after_the_deadline():
    events = [passed(2025, on=D(2025, 12, 1)), passed(2026, on=D(2026, 11, 20))]
    for today in (D(2026, 11, 20), D(2027, 3, 3), D(2027, 9, 1)):
        result = status(events, today, eligible=False)
        assert result.status == Status.VALID
        assert result.valid_for_year == 2026
        assert result.last_review.year == 2026


def test_review_dated_later_than_today_does_not_count_yet():
    events = [passed(2026, on=D(2026, 11, 20))]
    assert status(events, D(2026, 11, 19)).status == Status.REVIEW_DUE


def test_deadline_last_minute_and_next_day_in_shanghai():
    """Grace 0: 31 Jan 2027 23:59 in Shanghai is still reviewable; 1 Feb 00:00 in Shanghai (16:00 UTC on 31 Jan)
    is lapsed. The date is taken in Asia/Shanghai, not UTC."""
    last_minute = dt.datetime(2027, 1, 31, 23, 59, tzinfo=SHANGHAI).astimezone(dt.UTC)
    next_day = dt.datetime(2027, 2, 1, 0, 0, tzinfo=SHANGHAI).astimezone(dt.UTC)
    assert next_day.date() == D(2027, 1, 31)  # in UTC it is still the deadline day
    assert local_today(last_minute) == D(2027, 1, 31)
    assert local_today(next_day) == D(2027, 2, 1)
    events = [passed(2025)]
    assert status(events, local_today(last_minute), cycle=C2026_NO_GRACE).status == Status.REVIEW_DUE
    assert status(events, local_today(next_day), cycle=C2026_NO_GRACE).status == Status.LAPSED


def test_grace_last_minute_and_next_day_in_shanghai():
    last_minute = dt.datetime(2027, 3, 2, 23, 59, tzinfo=SHANGHAI)
    next_day = dt.datetime(2027, 3, 3, 0, 0, tzinfo=SHANGHAI)
    assert status([], local_today(last_minute)).status == Status.REVIEW_DUE
    assert "宽限期" in status([], local_today(last_minute)).note
    assert status([], local_today(next_day)).status == Status.LAPSED


def test_failed_review_is_at_risk_until_the_grace_ends_then_lapsed_and_a_later_pass_restores():
    events = [failed(2026, on=D(2026, 11, 10))]
    assert status(events, D(2026, 11, 10), eligible=True).status == Status.AT_RISK
    assert status(events, D(2027, 3, 3)).status == Status.LAPSED
    events.append(passed(2026, on=D(2027, 2, 15), seq=2))
    assert status(events, D(2027, 2, 15)).status == Status.VALID
    assert status(events, D(2027, 3, 3)).status == Status.VALID


def test_lapse_of_the_previous_cycle_carries_into_the_next_window():
    # No 2025 review, cycle 2025 existed: lapsed in October 2026 and still lapsed when the 2026 window opens.
    result = status([], D(2026, 10, 15), cycle=C2026, earlier=[2025])
    assert result.status == Status.LAPSED
    assert status([], D(2026, 11, 5), cycle=C2026, earlier=[2025]).status == Status.LAPSED
    # Governed by 2025 after its grace: lapsed too.
    assert status([], D(2026, 3, 3), cycle=C2025).status == Status.LAPSED
    # A 2026 pass restores.
    assert status([passed(2026, on=D(2026, 11, 5))], D(2026, 11, 5), earlier=[2025]).status == Status.VALID


def test_new_certificate_is_valid_for_its_issue_year_without_review():
    new = cert(issued_on=D(2026, 5, 1))
    for today in (D(2026, 5, 1), D(2026, 11, 15), D(2027, 3, 3)):
        result = status([], today, certificate=new, eligible=False, earlier=[2025])
        assert result.status == Status.VALID
        assert result.valid_for_year == 2026


def test_issue_date_in_the_future_is_not_yet_a_certificate():
    assert status([], D(2026, 4, 30), certificate=cert(issued_on=D(2026, 5, 1))).status == Status.UNCERTIFIED


def test_no_cycle_means_valid():
    result = status([passed(2024)], D(2026, 6, 1), cycle=None)
    assert result.status == Status.VALID
    assert result.valid_for_year == 2024


def test_suspension_window_and_its_end():
    susp = ev(K.SUSPENDED, D(2026, 11, 5), ends_on=D(2026, 11, 20), reason="涉嫌违纪")
    events = [passed(2025), susp]
    assert status(events, D(2026, 11, 4)).status == Status.REVIEW_DUE
    result = status(events, D(2026, 11, 5))
    assert (result.status, result.suspended_until, result.note) == (Status.SUSPENDED, D(2026, 11, 20), "涉嫌违纪")
    assert status(events, D(2026, 11, 20)).status == Status.SUSPENDED
    assert status(events, D(2026, 11, 21)).status == Status.REVIEW_DUE
    assert not status(events, D(2026, 11, 10)).may_enforce


def test_open_ended_suspension_until_reinstated():
    events = [passed(2025), ev(K.SUSPENDED, D(2026, 6, 1)), ev(K.REINSTATED, D(2026, 7, 1))]
    assert status(events, D(2026, 6, 30)).status == Status.SUSPENDED
    assert status(events, D(2026, 6, 30)).suspended_until is None
    assert status(events, D(2026, 7, 1)).status == Status.VALID


def test_revocation_is_final_and_beats_everything():
    events = [
        passed(2026, on=D(2026, 11, 2)),
        ev(K.REVOKED, D(2026, 12, 1), reason="吊销"),
        ev(K.REINSTATED, D(2026, 12, 5)),
    ]
    assert status(events, D(2026, 11, 30)).status == Status.VALID
    result = status(events, D(2026, 12, 1))
    assert result.status == Status.REVOKED
    assert status(events, D(2027, 6, 1)).status == Status.REVOKED
    assert result.colour == "bad"


def test_expiry_by_event_or_by_date():
    assert status([ev(K.EXPIRED, D(2026, 8, 1))], D(2026, 8, 1)).status == Status.EXPIRED
    dated = cert(valid_until=D(2026, 8, 1))
    assert status([], D(2026, 8, 1), certificate=dated, cycle=None).status == Status.VALID
    assert status([], D(2026, 8, 2), certificate=dated, cycle=None).status == Status.EXPIRED


def test_voided_events_take_no_part():
    wrong = ev(K.REVOKED, D(2026, 11, 2), reason="录入错误")
    events = [passed(2025), wrong, ev(K.VOIDED, D(2026, 11, 3), voids_id=wrong.pk, reason="误录")]
    assert status(events[:2], D(2026, 11, 2)).status == Status.REVOKED
    assert status(events, D(2026, 11, 3)).status == Status.REVIEW_DUE
    # a voided pass: the review is open again
    wrong_pass = passed(2026, on=D(2026, 11, 5))
    events = [passed(2025), wrong_pass, ev(K.VOIDED, D(2026, 11, 6), voids_id=wrong_pass.pk)]
    assert status(events, D(2026, 11, 6), eligible=False).status == Status.AT_RISK


def test_voided_issue_is_uncertified():
    certificate = cert()
    first = issued()
    events = [first, ev(K.VOIDED, D(2024, 3, 2), voids_id=first.pk)]
    result = derive_status(certificate=certificate, events=events, cycle=C2026, eligible=True, today=D(2026, 6, 1))
    assert result.status == Status.UNCERTIFIED


def test_highest_seq_review_of_a_year_stands():
    events = [passed(2026, seq=1, on=D(2026, 11, 2)), failed(2026, seq=2, on=D(2026, 11, 3))]
    assert status(events, D(2026, 11, 4)).status == Status.AT_RISK


def test_governing_cycle_picks_the_latest_within_the_lead():
    cycles = [C2025, C2026]
    assert governing_cycle(cycles, D(2026, 10, 1)).year == 2025
    assert governing_cycle(cycles, D(2026, 10, 2)).year == 2026
    assert governing_cycle(cycles, D(2025, 1, 1)) is None


def test_every_status_has_a_label_and_colour_and_may_enforce_is_exactly_valid_and_due():
    for s in Status:
        assert s.label and STATUS_COLOURS[s]
    assert MAY_ENFORCE == {Status.VALID, Status.REVIEW_DUE}
