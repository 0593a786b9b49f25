"""Letters not yet sent and print batches, included at /brieven/."""

from django.urls import path

from . import sending

app_name = "letter-sending"
urlpatterns = [
    path("", sending.unsent, name="unsent"),
    path("dossier/<int:file_id>/<int:letter_id>/verstuurd/", sending.send, name="send"),
    path("printbatch/", sending.create_batch, name="create-batch"),
    path("printbatch/<int:batch_id>/", sending.batch_page, name="batch"),
    path("printbatch/<int:batch_id>/download/", sending.batch_download, name="batch-download"),
]
