"""Exams pages: attempts."""

urlpatterns: list = []
