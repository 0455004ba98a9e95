"""The exam page's websocket: pushes only (time extension, forced submission, notices). Answers never travel
here: they go over HTTP to the database. If the socket is down the page still works."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .services.attempts import attempt_group


@database_sync_to_async
def _owns(user, attempt_id: int) -> bool:
    from django.http import Http404

    from .access import access_own_attempt

    try:
        access_own_attempt(user, attempt_id)
    except Http404:
        return False
    return True


class AttemptConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        attempt_id = int(self.scope["url_route"]["kwargs"]["attempt_id"])
        if not await _owns(user, attempt_id):
            await self.close(code=4404)
            return
        self.group = attempt_group(attempt_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        # Pushes only: whatever the browser sends is dropped unread (never JSON-decoded, so a hostile frame,
        # e.g. 50,000 nested arrays, cannot raise in the parser).
        return

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def attempt_push(self, event):
        await self.send_json(event["payload"])
