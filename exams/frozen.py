"""A question as frozen into a sitting (AttemptItem.content) or a bank version (QuestionVersion.content).

The one reader of the frozen JSON for everything shown to people: what the officer may see before answering
(`public()`), the key as text (`key_text()`), an answer as text (`response_text()`), and the option letters of a
sitting (`labels()`: the letters the officer saw, by display position, whatever the stored keys). Whether a key
may be shown at all is exams.policy's decision; this type only says what the key is."""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from . import grading

LETTERS = string.ascii_uppercase
CHOICE_KINDS = ("single", "multiple")


@dataclass(frozen=True)
class FrozenQuestion:
    content: dict
    option_order: tuple[str, ...] | None = None  # the sitting's shuffled order of the original keys

    @classmethod
    def of(cls, content: dict, option_order=None) -> FrozenQuestion:
        return cls(content=content, option_order=tuple(option_order) if option_order else None)

    @classmethod
    def of_item(cls, item) -> FrozenQuestion:
        return cls.of(item.content, item.option_order)

    # --- plain parts --------------------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.content["kind"]

    @property
    def title(self) -> str:
        return self.content.get("title") or ""

    @property
    def stem(self) -> str:
        return self.content.get("stem") or ""

    @property
    def explanation(self) -> str:
        return self.content.get("explanation") or ""

    @property
    def rubric(self) -> str:
        return self.content.get("rubric") or ""

    @property
    def law_refs(self) -> list[str]:
        return list(self.content.get("law_refs") or [])

    @property
    def points(self) -> Decimal | None:
        points = self.content.get("points")
        return None if points is None else Decimal(str(points))

    # --- options and letters ------------------------------------------------------------------------------------

    def labels(self) -> dict[str, str]:
        """Original option key → the letter shown in the sitting (A, B, C… by display position), display order."""
        keys = [o["key"] for o in self.content.get("options") or []]
        order = [k for k in (self.option_order or keys) if k in keys] or keys
        return {key: LETTERS[i] for i, key in enumerate(order)}

    def options(self, *, chosen: set[str] = frozenset(), with_key: bool = False) -> list[dict]:
        """The options in display order: key, label, text, chosen; `correct` only with_key (else None)."""
        by_key = {o["key"]: o for o in self.content.get("options") or []}
        return [
            {
                "key": key,
                "label": label,
                "text": by_key[key]["text"],
                "chosen": key in chosen,
                "correct": bool(by_key[key].get("correct")) if with_key else None,
            }
            for key, label in self.labels().items()
        ]

    def chosen_keys(self, response) -> set[str]:
        return grading.chosen_keys(response) if self.kind in CHOICE_KINDS else set()

    def _letters(self, keys: set[str]) -> str:
        return "".join(label for key, label in self.labels().items() if key in keys)

    # --- what people see ----------------------------------------------------------------------------------------

    def public(self) -> dict:
        """What the officer sees before answering: never the key, the explanation or the rubric."""
        return {
            "kind": self.kind,
            "title": self.title,
            "stem": self.stem,
            "options": [{"key": o["key"], "label": o["label"], "text": o["text"]} for o in self.options()],
            "points": self.content.get("points"),
        }

    def key(self):
        """The key as data for the exam page: choice keys in display order, the boolean, or accepted blanks."""
        if self.kind in CHOICE_KINDS:
            correct = grading.correct_keys(self.content)
            return [key for key in self.labels() if key in correct]
        if self.kind == "true_false":
            return self.content.get("answer_bool")
        if self.kind == "blank":
            return list(self.content.get("accepted") or [])
        return None

    def key_text(self) -> str:
        """The key as a person reads it: the sitting's letters, 正确/错误, the accepted blanks; for a case analysis,
        its rubric."""
        if self.kind in CHOICE_KINDS:
            return self._letters(grading.correct_keys(self.content))
        if self.kind == "true_false":
            return _("正确") if self.content.get("answer_bool") else _("错误")
        if self.kind == "blank":
            return " / ".join(self.content.get("accepted") or [])
        return self.rubric

    def response_text(self, response, *, unanswered: str = "") -> str:
        """An answer as a person reads it (the letters shown in the sitting, in display order; 正确/错误)."""
        if response is None or response == "" or response == []:
            return unanswered
        if self.kind in CHOICE_KINDS:
            return self._letters(grading.chosen_keys(response))
        if self.kind == "true_false":
            from .formats.base import parse_bool_word

            value = response if isinstance(response, bool) else parse_bool_word(response)
            return {True: _("正确"), False: _("错误")}.get(value, str(response))
        return str(response)
