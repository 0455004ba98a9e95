from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/status/", views.status, name="status"),
    path("reports/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("reports/export.docx", views.export_docx, name="export_docx"),
    path("reports/chart/<slug:name>.svg", views.chart, name="chart"),
    path("reports/close/", views.close, name="close"),
    path("reports/snapshots/<int:year>/", views.snapshot_list, name="snapshots"),
]
