from django.urls import path

from .consumers import PlayConsumer, ScreenConsumer

websocket_urlpatterns = [
    path("ws/contest/<int:contest_id>/play/", PlayConsumer.as_asgi()),
    path("ws/contest/<int:contest_id>/screen/", ScreenConsumer.as_asgi()),
]
