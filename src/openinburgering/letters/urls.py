from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("<int:letter_id>/", views.download, name="download"),
]
