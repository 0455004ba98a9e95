"""Parse a JSON request body safely: the one helper every JSON endpoint uses.

Hostile bodies must give a 400 with a Chinese message, never a 500: the body size is capped before it is read,
nesting depth is capped (a 50,000-deep array makes the parser raise RecursionError), every integer must be
within ±2^53 (the range a browser can send exactly; larger values overflow SQLite/PostgreSQL columns) and
every float finite (1e400 parses as infinity; NaN/Infinity literals are refused). Endpoints then read fields with
`json_int` / `json_float`, which check the field's own range.
"""

from __future__ import annotations

import json
import math

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 16
MAX_SAFE_INT = 2**53 - 1
_MAX_INT_DIGITS = 16  # 2**53 has 16 digits: longer literals are refused before int() sees them


class JsonBodyError(ValueError):
    """The body is not acceptable; `str(exc)` is a Chinese message for the response (status 400)."""


def _int(literal: str) -> int:
    if len(literal.lstrip("-")) > _MAX_INT_DIGITS:
        raise JsonBodyError(_("请求中的数字超出允许范围。"))
    value = int(literal)
    if abs(value) > MAX_SAFE_INT:
        raise JsonBodyError(_("请求中的数字超出允许范围。"))
    return value


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise JsonBodyError(_("请求中的数字超出允许范围。"))
    return value


def _constant(literal: str) -> float:
    raise JsonBodyError(_("请求中的数字超出允许范围。"))


def _depth_ok(value: object, max_depth: int) -> bool:
    """Iterative (never recursive) walk: is every container nested at most `max_depth` deep?"""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            return False
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return True


def json_parse(raw: bytes | str, *, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_DEPTH) -> object:
    """Parse JSON text under the limits above, or raise JsonBodyError."""
    if len(raw) > max_bytes:
        raise JsonBodyError(_("请求内容过大。"))
    try:
        value = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except JsonBodyError:
        raise
    except RecursionError:
        raise JsonBodyError(_("请求内容嵌套过深。")) from None
    except (ValueError, TypeError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise JsonBodyError(_("请求格式不正确。")) from None
    if not _depth_ok(value, max_depth):
        raise JsonBodyError(_("请求内容嵌套过深。"))
    return value


def json_body(
    request: HttpRequest, *, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_DEPTH, empty: object = None
) -> dict:
    """The request's JSON object. An empty body gives `empty` (when not None); anything but an object is refused.
    The declared Content-Length is checked before the body is read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise JsonBodyError(_("请求内容过大。"))
    try:
        raw = request.body
    except RequestDataTooBig:  # no or a false Content-Length: Django's own cap (DATA_UPLOAD_MAX_MEMORY_SIZE)
        raise JsonBodyError(_("请求内容过大。")) from None
    if not raw and empty is not None:
        return empty  # type: ignore[return-value]
    value = json_parse(raw, max_bytes=max_bytes, max_depth=max_depth)
    if not isinstance(value, dict):
        raise JsonBodyError(_("请求格式不正确。"))
    return value


def json_int(value: object, *, low: int = 1, high: int = 2**31 - 1) -> int:
    """A JSON integer within [low, high] (the default fits a PostgreSQL integer column). Booleans and floats are
    refused (true is not 1; 1.5 is not an id)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise JsonBodyError(_("请求中的数字超出允许范围。"))
    return value


def json_float(value: object, *, low: float, high: float) -> float:
    """A finite JSON number within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise JsonBodyError(_("请求格式不正确。"))
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise JsonBodyError(_("请求中的数字超出允许范围。"))
    return number
