from django.urls import URLPattern, path  # noqa: F401 -- filled in by the plans views

app_name = "plans"
urlpatterns: list[URLPattern] = []
