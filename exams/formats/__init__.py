"""Import/export formats of the question bank. Each module offers parse(bytes) -> ParseResult and
export(list[QuestionData]) -> bytes, plus NAME, EXTENSIONS and CONTENT_TYPE."""

from __future__ import annotations

from types import ModuleType

from . import gift, moodle_xml, xlsx
from .base import Issue, Option, ParseResult, QuestionData

FORMATS: dict[str, ModuleType] = {m.NAME: m for m in (moodle_xml, gift, xlsx)}
FILE_SUFFIX = {moodle_xml.NAME: "xml", gift.NAME: "gift.txt", xlsx.NAME: "xlsx"}

__all__ = ["FORMATS", "FILE_SUFFIX", "Issue", "Option", "ParseResult", "QuestionData", "get", "guess"]


def get(name: str) -> ModuleType:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(name) from None


def guess(filename: str) -> str | None:
    """Format name from a file name's extension, or None."""
    lower = filename.lower()
    for name, module in FORMATS.items():
        if any(lower.endswith(ext) for ext in module.EXTENSIONS):
            return name
    return None
