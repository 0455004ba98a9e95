from django.urls import path

from .views import hr, officer

app_name = "mentorship"

urlpatterns = [
    # the officer's own: 我的师傅 / 我的徒弟
    path("me/mentorship/", officer.mine, name="mine"),
    path("me/mentorship/pairs/<int:pk>/", officer.pair, name="pair"),
    path("me/mentorship/pairs/<int:pk>/checkins/", officer.checkin_log, name="checkin_log"),
    path("me/mentorship/pairs/<int:pk>/evaluate/", officer.evaluate, name="evaluate"),
    path("me/mentorship/checkins/<int:pk>/confirm/", officer.checkin_confirm, name="checkin_confirm"),
    path("me/mentorship/goals/<int:pk>/", officer.goal_mark, name="goal_mark"),
    # HR and unit leaders (their subtree)
    path("hr/mentorship/", hr.programmes, name="programmes"),
    path("hr/mentorship/programmes/<int:pk>/", hr.programme, name="programme"),
    path("hr/mentorship/programmes/<int:pk>/match/", hr.match, name="match"),
    path("hr/mentorship/programmes/<int:pk>/publish/", hr.publish, name="publish"),
    path("hr/mentorship/programmes/<int:pk>/close/", hr.close, name="close"),
    path("hr/mentorship/pairs/<int:pk>/", hr.pair_detail, name="pair_detail"),
    path("hr/mentorship/pairs/<int:pk>/lock/", hr.pair_lock, name="pair_lock"),
    path("hr/mentorship/pairs/<int:pk>/swap/", hr.pair_swap, name="pair_swap"),
    path("hr/mentorship/pairs/<int:pk>/end/", hr.pair_end, name="pair_end"),
    path("hr/mentorship/board/", hr.board, name="board"),
    path("hr/mentorship/outcomes/", hr.outcomes, name="outcomes"),
    path("hr/mentorship/export.xlsx", hr.export, name="export"),
]
