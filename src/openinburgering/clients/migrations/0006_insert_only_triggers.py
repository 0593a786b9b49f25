"""Status history and notes are insert-only in the database too (#12 item 9): QuerySet.update() and raw SQL went
past the model's guard. Same trigger as every other insert-only table (``oi_insert_only()``, from plans 0002).

The intakes app's route advice (intakes_routeadvice) lacked its trigger as well; it is added here because this
change may only add migrations to the clients app. tests/core/test_insert_only.py checks every insert-only model.
"""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

TABLES = ("clients_statuschange", "clients_note", "intakes_routeadvice")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_open_files_by_step_kind_index"),
        ("intakes", "0002_intake_absence_reason"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [insert_only_triggers(*TABLES)]
