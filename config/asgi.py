"""HTTP goes to Django; websockets (pushes only) go through the channels routing of each app."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.door import AdmissionDoor  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

# At most ASGI_MAX_INFLIGHT requests inside Django per worker, answers before pages; the rest wait in line, then
# get 503 + Retry-After (config/door.py).
http_app = AdmissionDoor.from_settings(django_asgi_app)

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
