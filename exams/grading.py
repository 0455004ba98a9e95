"""Pure grading of objective questions from a frozen version content (see exams/formats/base.py).

score(content, answer) -> Decimal, never touching the database. Rules:

- single choice: full points when the one chosen key is the correct one, else 0.
- multiple choice, scoring_mode "all" (全部选对才得分): full points only when the chosen set equals the
  correct set exactly, else 0.
- multiple choice, scoring_mode "partial" (按选项给分): with n correct options, every correct option chosen
  earns points/n and every wrong option chosen (including keys that are not options) subtracts points/n;
  the result is floored at 0 and rounded half-up to 0.01. Choosing all correct and nothing else gives
  exactly the full points. E.g. 2 points, correct A C: "A" → 1.00, "AC" → 2.00, "ACD" → 1.00, "AD" → 0.00.
- true/false: full points when the answer (bool, or 正确/错误/对/错/√/×/T/F) matches, else 0.
- fill in the blank: full points when the answer, normalised, equals one accepted answer normalised the same
  way: NFKC (full-width → half-width), all whitespace removed, case-folded.
- case analysis: graded by hand with the rubric: score() raises ManualGradingRequired.

Answers for choice questions may be a key string ("A", "ABD", "A,B"), or a list of keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from org.text import normalize_text

from .formats.base import BLANK, CASE, MULTIPLE, PARTIAL, SINGLE, TRUE_FALSE, parse_bool_word

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class ManualGradingRequired(Exception):
    """Case-analysis answers are graded by a trainer against the rubric."""


def is_auto_gradable(content: dict) -> bool:
    return content["kind"] != CASE


def max_score(content: dict) -> Decimal:
    return Decimal(content["points"]).quantize(CENT)


def normalize_answer(value: object) -> str:
    return normalize_text(value).replace(" ", "").casefold()


def chosen_keys(answer: object) -> set[str]:
    if answer is None:
        return set()
    if isinstance(answer, str):
        items: Iterable[object] = normalize_text(answer).upper()
    else:
        items = answer  # type: ignore[assignment]
    return {normalize_text(k).upper() for k in items if normalize_text(k) and normalize_text(k) not in {",", ";", "、"}}


def correct_keys(content: dict) -> set[str]:
    return {o["key"] for o in content["options"] if o["correct"]}


def score(content: dict, answer: object) -> Decimal:
    kind = content["kind"]
    points = max_score(content)
    if kind == SINGLE:
        chosen = chosen_keys(answer)
        return points if len(chosen) == 1 and chosen == correct_keys(content) else ZERO
    if kind == MULTIPLE:
        chosen, correct = chosen_keys(answer), correct_keys(content)
        if content.get("scoring_mode") != PARTIAL:
            return points if chosen == correct else ZERO
        net = len(chosen & correct) - len(chosen - correct)
        if net <= 0:
            return ZERO
        return (points * net / len(correct)).quantize(CENT, rounding=ROUND_HALF_UP)
    if kind == TRUE_FALSE:
        given = answer if isinstance(answer, bool) else parse_bool_word(answer)
        return points if given is not None and given == content["answer_bool"] else ZERO
    if kind == BLANK:
        given = normalize_answer(answer)
        if not given:
            return ZERO
        return points if given in {normalize_answer(a) for a in content["accepted"]} else ZERO
    if kind == CASE:
        raise ManualGradingRequired
    raise ValueError(f"unknown question kind {kind!r}")
