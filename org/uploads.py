"""An uploaded import file waits here between its preview and the confirmation.

Every import in the platform (roster, questions, ...) validates the whole file, shows a preview, and writes only when
the person confirms. The file is kept on disk under MEDIA_ROOT/staged_uploads and its token in the session, so the
confirmation re-reads exactly the previewed bytes and a stale or foreign token is refused."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class StagedUpload:
    token: str
    meta: dict
    content: bytes


def _directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / "staged_uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def staged_upload_put(request: HttpRequest, *, key: str, content: bytes, meta: dict) -> str:
    """Keep the file for a later confirmation; replaces an earlier one under the same key. Returns the token."""
    staged_upload_discard(request, key=key)
    token = uuid.uuid4().hex
    (_directory() / token).write_bytes(content)
    request.session[key] = {"token": token, "meta": meta}
    return token


def staged_upload_get(request: HttpRequest, *, key: str, token: str | None) -> StagedUpload | None:
    """The staged file, if the token is the one this session holds and the file is still there."""
    stash = request.session.get(key)
    if not stash or not token or stash.get("token") != token:
        return None
    path = _directory() / stash["token"]
    if not path.exists():
        return None
    return StagedUpload(token=stash["token"], meta=stash["meta"], content=path.read_bytes())


def staged_upload_discard(request: HttpRequest, *, key: str) -> None:
    stash = request.session.pop(key, None)
    if stash:
        (_directory() / stash["token"]).unlink(missing_ok=True)
