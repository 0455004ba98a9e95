"""HTTP goes to Django; websockets (pushes only) go through the channels routing of each app."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.door import AdmissionDoor  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

# Overload is answered at the door (503 + Retry-After) beyond ASGI_MAX_INFLIGHT requests per worker (config/door.py).
http_app = (
    AdmissionDoor(django_asgi_app, limit=settings.ASGI_MAX_INFLIGHT) if settings.ASGI_MAX_INFLIGHT else django_asgi_app
)

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
