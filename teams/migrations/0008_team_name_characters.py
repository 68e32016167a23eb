from django.db import migrations

from mobilization.migration_ops import character_indexes


class Migration(migrations.Migration):
    dependencies = [("teams", "0007_team_name_trigram")]

    operations = [character_indexes(("teams_team", "name", "team_name_chars"))]
