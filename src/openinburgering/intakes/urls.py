from django.urls import URLPattern, path  # noqa: F401 -- filled in by the intakes views

app_name = "intakes"
urlpatterns: list[URLPattern] = []
