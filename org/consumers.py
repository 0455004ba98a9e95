"""Per-user notice channel: pushes only (time changes, forced submission, notices). Nothing is sent back."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


class NoticeConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        # Pushes only: whatever the browser sends is dropped unread (never JSON-decoded, so a hostile frame,
        # e.g. 50,000 nested arrays, cannot raise in the parser).
        return

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notice_push(self, event):
        await self.send_json({"kind": event.get("kind", "notice"), "text": event["text"]})
