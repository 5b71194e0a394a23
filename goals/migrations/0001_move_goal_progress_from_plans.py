"""Goal progress, activities, sign-offs, advice and digest links move from the plans app to goals.

State only: the models are created here on their existing plans_* tables (events 0002 points a
sign-up at them, plans 0006 forgets them); goals 0002 renames the tables. No row is touched.
"""

import django.core.validators
import django.db.models.deletion
import goals.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("offices", "0002_reference_data"),
        ("plans", "0005_rule_set_readings"),
        ("trainees", "0005_course_records"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GoalProgress',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('ikke_startet', 'Ikke startet'), ('pagar', 'Pågår'), ('levert', 'Levert til godkjenning'), ('godkjent', 'Godkjent'), ('returnert', 'Returnert')], default='ikke_startet', max_length=12, verbose_name='status')),
                        ('submission', models.PositiveSmallIntegerField(default=0, verbose_name='innlevering nr.')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='levert')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='avgjort')),
                        ('decided_by_name', models.CharField(blank=True, max_length=200, verbose_name='godkjent av')),
                        ('return_reason', models.TextField(blank=True, verbose_name='begrunnelse for retur')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='avgjort av')),
                        ('goal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.learninggoal', verbose_name='mål')),
                        ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
                        ('trainee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goal_progress', to='trainees.trainee')),
                    ],
                    options={
                        'db_table': 'plans_goalprogress',
                        'verbose_name': 'måloppnåelse',
                        'verbose_name_plural': 'måloppnåelse',
                        'ordering': ['goal__code'],
                    },
                ),
                migrations.CreateModel(
                    name='GoalAdvice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('submission', models.PositiveSmallIntegerField()),
                        ('role', models.CharField(choices=[('veileder', 'Veileder'), ('supervisor', 'Supervisør')], max_length=12, verbose_name='rolle')),
                        ('given_by_name', models.CharField(max_length=200, verbose_name='gitt av')),
                        ('given_at', models.DateTimeField(auto_now_add=True, verbose_name='gitt')),
                        ('text', models.TextField(verbose_name='råd')),
                        ('recommend', models.BooleanField(verbose_name='anbefaler godkjenning')),
                        ('given_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
                        ('progress', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='advice', to='goals.goalprogress')),
                    ],
                    options={
                        'db_table': 'plans_goaladvice',
                        'verbose_name': 'råd om godkjenning',
                        'verbose_name_plural': 'råd om godkjenning',
                        'ordering': ['given_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalGoalAdvice',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('submission', models.PositiveSmallIntegerField()),
                        ('role', models.CharField(choices=[('veileder', 'Veileder'), ('supervisor', 'Supervisør')], max_length=12, verbose_name='rolle')),
                        ('given_by_name', models.CharField(max_length=200, verbose_name='gitt av')),
                        ('given_at', models.DateTimeField(blank=True, editable=False, verbose_name='gitt')),
                        ('text', models.TextField(verbose_name='råd')),
                        ('recommend', models.BooleanField(verbose_name='anbefaler godkjenning')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('given_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('office', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='offices.office')),
                        ('progress', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.goalprogress')),
                    ],
                    options={
                        'db_table': 'plans_historicalgoaladvice',
                        'verbose_name': 'historical råd om godkjenning',
                        'verbose_name_plural': 'historical råd om godkjenning',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalGoalProgress',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('status', models.CharField(choices=[('ikke_startet', 'Ikke startet'), ('pagar', 'Pågår'), ('levert', 'Levert til godkjenning'), ('godkjent', 'Godkjent'), ('returnert', 'Returnert')], default='ikke_startet', max_length=12, verbose_name='status')),
                        ('submission', models.PositiveSmallIntegerField(default=0, verbose_name='innlevering nr.')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='levert')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='avgjort')),
                        ('decided_by_name', models.CharField(blank=True, max_length=200, verbose_name='godkjent av')),
                        ('return_reason', models.TextField(blank=True, verbose_name='begrunnelse for retur')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='avgjort av')),
                        ('goal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.learninggoal', verbose_name='mål')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('office', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='offices.office')),
                        ('trainee', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='trainees.trainee')),
                    ],
                    options={
                        'db_table': 'plans_historicalgoalprogress',
                        'verbose_name': 'historical måloppnåelse',
                        'verbose_name_plural': 'historical måloppnåelse',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalLearningActivity',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('klinisk', 'Klinisk arbeid'), ('kurs', 'Kurs'), ('veiledning', 'Veiledning'), ('hospitering', 'Hospitering'), ('refleksjon', 'Refleksjonsnotat'), ('annet', 'Annet')], max_length=12, verbose_name='type')),
                        ('date', models.DateField(verbose_name='dato')),
                        ('description', models.TextField(verbose_name='beskrivelse')),
                        ('attachment', models.TextField(blank=True, help_text='PDF eller bilde (PNG, JPG), høyst 10 MB.', max_length=100, validators=[django.core.validators.FileExtensionValidator(['pdf', 'png', 'jpg', 'jpeg']), goals.models.validate_attachment_size], verbose_name='vedlegg')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('office', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='offices.office')),
                        ('trainee', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='trainees.trainee')),
                    ],
                    options={
                        'db_table': 'plans_historicallearningactivity',
                        'verbose_name': 'historical læringsaktivitet',
                        'verbose_name_plural': 'historical læringsaktiviteter',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='LearningActivity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('klinisk', 'Klinisk arbeid'), ('kurs', 'Kurs'), ('veiledning', 'Veiledning'), ('hospitering', 'Hospitering'), ('refleksjon', 'Refleksjonsnotat'), ('annet', 'Annet')], max_length=12, verbose_name='type')),
                        ('date', models.DateField(verbose_name='dato')),
                        ('description', models.TextField(verbose_name='beskrivelse')),
                        ('attachment', models.FileField(blank=True, help_text='PDF eller bilde (PNG, JPG), høyst 10 MB.', upload_to='aktiviteter/%Y/', validators=[django.core.validators.FileExtensionValidator(['pdf', 'png', 'jpg', 'jpeg']), goals.models.validate_attachment_size], verbose_name='vedlegg')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('goals', models.ManyToManyField(related_name='+', to='plans.learninggoal', verbose_name='læringsmål')),
                        ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
                        ('trainee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='learning_activities', to='trainees.trainee')),
                    ],
                    options={
                        'db_table': 'plans_learningactivity',
                        'verbose_name': 'læringsaktivitet',
                        'verbose_name_plural': 'læringsaktiviteter',
                        'ordering': ['-date', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalLearningActivity_goals',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='goals.historicallearningactivity')),
                        ('learninggoal', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.learninggoal')),
                        ('learningactivity', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.learningactivity')),
                    ],
                    options={
                        'db_table': 'plans_historicallearningactivity_goals',
                        'verbose_name': 'HistoricalLearningActivity_goals',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalActivitySignoff',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('signed_by_name', models.CharField(max_length=200, verbose_name='signert av')),
                        ('signed_at', models.DateTimeField(blank=True, editable=False, verbose_name='signert')),
                        ('comment', models.TextField(blank=True, verbose_name='kommentar')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('office', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='offices.office')),
                        ('signed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('activity', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.learningactivity')),
                    ],
                    options={
                        'db_table': 'plans_historicalactivitysignoff',
                        'verbose_name': 'historical signering',
                        'verbose_name_plural': 'historical signeringer',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='DigestLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token_hash', models.CharField(max_length=64, unique=True)),
                        ('kind', models.CharField(choices=[('signer', 'Aktivitet til signering'), ('rad', 'Mål som venter på råd')], max_length=8)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('used_at', models.DateTimeField(blank=True, null=True)),
                        ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('progress', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='goals.goalprogress')),
                        ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='goals.learningactivity')),
                    ],
                    options={'db_table': 'plans_digestlink'},
                ),
                migrations.CreateModel(
                    name='ActivitySignoff',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('signed_by_name', models.CharField(max_length=200, verbose_name='signert av')),
                        ('signed_at', models.DateTimeField(auto_now_add=True, verbose_name='signert')),
                        ('comment', models.TextField(blank=True, verbose_name='kommentar')),
                        ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
                        ('signed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signoffs', to='goals.learningactivity')),
                    ],
                    options={
                        'db_table': 'plans_activitysignoff',
                        'verbose_name': 'signering',
                        'verbose_name_plural': 'signeringer',
                        'ordering': ['signed_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='goalprogress',
                    constraint=models.UniqueConstraint(fields=('trainee', 'goal'), name='progress_per_trainee_goal'),
                ),
                migrations.AddConstraint(
                    model_name='goalprogress',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'returnert'), _negated=True), models.Q(('return_reason', ''), _negated=True), _connector='OR'), name='progress_return_has_reason', violation_error_message='Skriv hvorfor målet returneres.'),
                ),
                migrations.AddConstraint(
                    model_name='goaladvice',
                    constraint=models.UniqueConstraint(fields=('progress', 'submission', 'given_by', 'role'), name='one_advice_per_submission_and_role'),
                ),
                migrations.AddConstraint(
                    model_name='activitysignoff',
                    constraint=models.UniqueConstraint(fields=('activity', 'signed_by'), name='one_signoff_per_supervisor'),
                ),
            ],
            database_operations=[],
        ),
    ]
