# The end-of-ontzorgen letter (#13 item 5, begeleid loslaten).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0003_letter_settings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='letter',
            name='kind',
            field=models.CharField(choices=[('oproep', 'Oproep brede intake'), ('waarschuwing', 'Waarschuwing en herhaalde oproep'), ('boete_nieuwe_termijn', 'Voornemen boete en nieuwe termijn'), ('intake_in_afwezigheid', 'Voornemen boete en intake zonder u'), ('lbt_uitnodiging', 'Uitnodiging leerbaarheidstoets'), ('pip_beschikking', 'Besluit persoonlijk plan (PIP)'), ('boete_w23', 'Besluit boete PIP (artikel 23)'), ('ontzorgen_einde', 'Einde ontzorgen: u betaalt uw vaste lasten zelf')], max_length=40),
        ),
    ]
