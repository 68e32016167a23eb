from django.db import migrations

from mobilization.migration_ops import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("teams", "0006_person_calls"), ("mobilization", "0019_trigram_extension")]

    operations = [trigram_indexes(("teams_team", "name", "team_name_trgm"))]
