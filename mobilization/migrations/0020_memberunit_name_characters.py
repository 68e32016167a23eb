from django.db import migrations

from mobilization.migration_ops import character_indexes


class Migration(migrations.Migration):
    dependencies = [("mobilization", "0019_trigram_extension")]

    operations = [character_indexes(("mobilization_memberunit", "name", "memberunit_name_chars"))]
