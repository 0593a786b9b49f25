"""Settling a reclaim (#13 leftover a): the insert-only ReclaimSettlement (with its PostgreSQL trigger) and two
ledger kinds, refunded and offset, that point back at the correction they settle."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from openinburgering.core.db import insert_only_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_roles_for_ontzorgen_netwerk_monitoring_interop'),
        ('clients', '0009_consent_from_intakes'),
        ('ontzorgen', '0004_part_b_insert_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReclaimSettlement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('method', models.CharField(choices=[('refunded', 'Terugbetaald door de schuldeiser'), ('offset', 'Verrekend door de schuldeiser')], max_length=20, verbose_name='hoe')),
                ('amount_cents', models.BigIntegerField(verbose_name='bedrag (centen)')),
                ('settled_on', models.DateField(verbose_name='datum')),
                ('note', models.TextField(blank=True, verbose_name='toelichting')),
                ('recorded_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'afgeronde terugvordering',
                'verbose_name_plural': 'afgeronde terugvorderingen',
                'ordering': ['client_file', 'recorded_at', 'id'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='ledgerentry',
            name='ledger_correction_points_back',
        ),
        migrations.AlterField(
            model_name='ledgerentry',
            name='kind',
            field=models.CharField(choices=[('withheld', 'Ingehouden op de bijstand'), ('due', 'Te betalen'), ('sent', 'Betaald (in het bankbestand)'), ('returned', 'Teruggekomen van de bank'), ('corrected', 'Correctie'), ('refunded', 'Terugbetaald door de schuldeiser'), ('offset', 'Verrekend door de schuldeiser')], max_length=20),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['corrected', 'returned', 'refunded', 'offset']), _negated=True), ('corrects__isnull', False), _connector='OR'), name='ledger_correction_points_back'),
        ),
        migrations.AddField(
            model_name='reclaimsettlement',
            name='client_file',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reclaim_settlements', to='clients.clientfile'),
        ),
        migrations.AddField(
            model_name='reclaimsettlement',
            name='gemeente',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.gemeente'),
        ),
        migrations.AddField(
            model_name='reclaimsettlement',
            name='ledger_entry',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='settlement', to='ontzorgen.ledgerentry'),
        ),
        migrations.AddField(
            model_name='reclaimsettlement',
            name='obligation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='settlements', to='ontzorgen.obligation'),
        ),
        migrations.AddField(
            model_name='reclaimsettlement',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='reclaimsettlement',
            name='statement_line',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='settlement', to='ontzorgen.statementline'),
        ),
        migrations.AddConstraint(
            model_name='reclaimsettlement',
            constraint=models.CheckConstraint(condition=models.Q(('amount_cents__gt', 0)), name='reclaim_settlement_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='reclaimsettlement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('method', 'refunded'), ('statement_line__isnull', False)), models.Q(('method', 'offset'), ('statement_line__isnull', True), models.Q(('note', ''), _negated=True)), _connector='OR'), name='reclaim_settlement_has_trail'),
        ),
        insert_only_triggers("ontzorgen_reclaimsettlement"),
    ]
