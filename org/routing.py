from django.urls import path

from .consumers import NoticeConsumer

websocket_urlpatterns = [path("ws/notices/", NoticeConsumer.as_asgi())]
