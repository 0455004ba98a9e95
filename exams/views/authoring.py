"""Exams pages: authoring."""

urlpatterns: list = []
