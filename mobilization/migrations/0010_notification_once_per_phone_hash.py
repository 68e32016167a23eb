"""An SMS-only notification is unique per phone hash and key (the phone itself is a ciphertext)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mobilization", "0009_phones_encrypted_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("recipient__isnull", True)),
                fields=("phone_hash", "key"),
                name="notification_once_per_phone",
            ),
        ),
    ]
