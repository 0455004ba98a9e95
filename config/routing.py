from contest.routing import websocket_urlpatterns as contest_ws
from exams.routing import websocket_urlpatterns as exams_ws
from org.routing import websocket_urlpatterns as org_ws

websocket_urlpatterns = [*org_ws, *exams_ws, *contest_ws]
