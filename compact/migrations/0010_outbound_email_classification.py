"""Every stored e-mail carries the classification of what it is about (issue 14: classified text
must not surface in the admin to someone not cleared for it).

Existing rows: an e-mail about a working group's input (``reporting:<submission>:…``) or an
extension of one (``extension:<request>:…``) takes the input's classification; the others (sign-on,
accounts, reminders, digests, action points, review notices) quote nothing classified.
"""

from django.db import migrations, models


def mark_existing_emails(apps, schema_editor):
    OutboundEmail = apps.get_model("compact", "OutboundEmail")
    Submission = apps.get_model("reporting", "Submission")
    ExtensionRequest = apps.get_model("reporting", "ExtensionRequest")
    levels = dict(Submission.objects.exclude(classification="unclassified").values_list("pk", "classification"))
    by_request = dict(
        ExtensionRequest.objects.filter(submission_id__in=levels).values_list("pk", "submission_id")
    )
    for email in OutboundEmail.objects.filter(occasion__regex=r"^(reporting|extension):[0-9]+:").iterator():
        kind, number = email.occasion.split(":")[:2]
        submission = int(number) if kind == "reporting" else by_request.get(int(number))
        level = levels.get(submission)
        if level:
            OutboundEmail.objects.filter(pk=email.pk).update(classification=level)


class Migration(migrations.Migration):
    dependencies = [
        ("compact", "0009_audit_classification"),
        ("reporting", "0009_programme_and_indicators"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="classification",
            field=models.CharField(
                choices=[
                    ("unclassified", "Unclassified"),
                    ("confidential", "Confidential"),
                    ("strictly-confidential", "Strictly confidential"),
                ],
                default="unclassified",
                max_length=32,
                verbose_name="classification",
            ),
        ),
        migrations.RunPython(mark_existing_emails, migrations.RunPython.noop),
    ]
