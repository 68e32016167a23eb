from django.db import migrations

from mobilization.migration_ops import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("members", "0010_person_region"), ("mobilization", "0019_trigram_extension")]

    operations = [trigram_indexes(("members_person", "name", "person_name_trgm"))]
