"""Drop the single-column foreign-key indexes that a composite index starting with the same column covers.

Every answer writes these tables; each index costs a write. Only the indexes go: AlterField alone
would also drop and re-add the foreign keys, which checks every row of the table again under a lock.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("nps", "0005_summaries_by_day_and_month"),
        ("placements", "0002_placement_anonymised_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "nps_answer_response_id_8371b1b3"',
                    reverse_sql='CREATE INDEX "nps_answer_response_id_8371b1b3" ON "nps_answer" ("response_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "nps_invitation_contact_id_5b56d19d"',
                    reverse_sql='CREATE INDEX "nps_invitation_contact_id_5b56d19d" ON "nps_invitation" ("contact_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "nps_invitation_recruiter_id_a8292a5c"',
                    reverse_sql='CREATE INDEX "nps_invitation_recruiter_id_a8292a5c" ON "nps_invitation" ("recruiter_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "nps_response_client_id_f0c37e7b"',
                    reverse_sql='CREATE INDEX "nps_response_client_id_f0c37e7b" ON "nps_response" ("client_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "nps_response_organisation_id_1b3a729a"',
                    reverse_sql='CREATE INDEX "nps_response_organisation_id_1b3a729a" ON "nps_response" ("organisation_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "nps_response_recruiter_id_e0ccc141"',
                    reverse_sql='CREATE INDEX "nps_response_recruiter_id_e0ccc141" ON "nps_response" ("recruiter_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="response",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="nps.response",
                    ),
                ),
                migrations.AlterField(
                    model_name="invitation",
                    name="contact",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="invitations",
                        to="placements.contact",
                    ),
                ),
                migrations.AlterField(
                    model_name="invitation",
                    name="recruiter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="invitations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="client",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="placements.client",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="recruiter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
