"""The server's own timer for rounds: close every round past its deadline (plus the largest grace) and send the
results, whether or not the host's console or the big screen is open (they normally close it first; closing is
idempotent). Registered with org.housekeeping in ContestConfig.ready()."""

from __future__ import annotations

from . import fanout, selectors, services


def close_overdue_rounds() -> int:
    results = services.close_overdue()
    for result in results:
        screen, phones = selectors.result_payloads(result, selectors.round_count(result.contest))
        fanout.push(fanout.send_result, result.contest.pk, screen, phones)
    return len(results)
