"""Cards on the officer's home page ("我的学习").

org sits at the bottom of the dependency order, so it cannot ask learning or exams for numbers. Instead,
higher apps register a card under a key in their AppConfig.ready(); a later registration for the same key
replaces the placeholder that org registers here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class Card:
    key: str
    order: int
    title: str | Promise
    template: str
    context: Callable[[HttpRequest, object | None], dict]


_CARDS: dict[str, Card] = {}


def register_card(
    *, key: str, order: int, title: str | Promise, template: str, context: Callable[[HttpRequest, object | None], dict]
) -> None:
    _CARDS[key] = Card(key=key, order=order, title=title, template=template, context=context)


def cards_for(request: HttpRequest, officer) -> list[dict]:
    return [
        {"card": card, "context": card.context(request, officer)}
        for card in sorted(_CARDS.values(), key=lambda c: c.order)
    ]

