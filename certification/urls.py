from django.urls import path

from .views import hr, officer, public

app_name = "certification"

urlpatterns = [
    # the officer's own
    path("me/certificate/", officer.mine, name="mine"),
    path("me/certificate/record.pdf", officer.mine_pdf, name="mine_pdf"),
    # HR (unit leaders read-only on their subtree)
    path("hr/certification/", hr.board, name="board"),
    path("hr/certification/officers/", hr.officer_list, name="officer_list"),
    path("hr/certification/officers/<int:pk>/", hr.officer_detail, name="officer_detail"),
    path("hr/certification/officers/<int:pk>/record.pdf", hr.officer_pdf, name="officer_pdf"),
    path("hr/certification/officers/<int:pk>/issue/", hr.issue, name="issue"),
    path("hr/certification/officers/<int:pk>/blocks/", hr.block_add, name="block_add"),
    path("hr/certification/blocks/<int:pk>/lift/", hr.block_lift, name="block_lift"),
    path("hr/certification/certificates/<int:pk>/suspend/", hr.certificate_suspend, name="suspend"),
    path("hr/certification/certificates/<int:pk>/reinstate/", hr.certificate_reinstate, name="reinstate"),
    path("hr/certification/certificates/<int:pk>/revoke/", hr.certificate_revoke, name="revoke"),
    path("hr/certification/certificates/<int:pk>/review/", hr.certificate_review, name="review_single"),
    path("hr/certification/events/<int:pk>/void/", hr.event_void, name="event_void"),
    path("hr/certification/run/", hr.review_run, name="review_run"),
    path("hr/certification/remind/", hr.remind, name="remind"),
    path("hr/certification/awaiting/", hr.awaiting, name="awaiting"),
    path("hr/certification/import/", hr.import_certificates, name="import"),
    path("hr/certification/export.xlsx", hr.export_certificates, name="export"),
    path("hr/certification/cycles/", hr.cycles, name="cycles"),
    # public: the QR code's target (no login)
    path("v/<str:token>/", public.verify, name="verify"),
]
