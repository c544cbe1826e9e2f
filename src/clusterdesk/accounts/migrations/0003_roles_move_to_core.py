# ClusterRole and RegionFunderAccess moved to core (the tenancy layer reads them to open a
# scope). Only Django's state changes here: the tables stay, core's 0003 adopts them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_member_role'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ClusterRole'),
                migrations.DeleteModel(name='RegionFunderAccess'),
            ],
            database_operations=[],
        ),
    ]
