# ClusterRole and RegionFunderAccess, moved from accounts with their tables (see accounts'
# 0003): the state learns them here, the database keeps its tables and rows.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("clusterrole", "regionfunderaccess")


def relabel_content_types(apps, schema_editor):
    """Audit entries point at the moved rows through their content type: keep it, renamed."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="core", model=model).exists():
            ContentType.objects.using(db).filter(app_label="accounts", model=model).update(
                app_label="core"
            )


def unlabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="accounts", model=model).exists():
            ContentType.objects.using(db).filter(app_label="core", model=model).update(
                app_label="accounts"
            )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_market'),
        ('accounts', '0003_roles_move_to_core'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ClusterRole',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('director', 'Director / administrator'), ('project_manager', 'Project manager'), ('event_manager', 'Event manager'), ('facility_manager', 'Facility manager'), ('finance', 'Finance'), ('expert', 'Expert'), ('committee_member', 'Committee member'), ('member', 'Member (portal)')], max_length=30, verbose_name='role')),
                        ('granted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='granted at')),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.cluster', verbose_name='cluster')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cluster_roles', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'role',
                        'verbose_name_plural': 'roles',
                        'db_table': 'accounts_clusterrole',
                        'ordering': ['user__email', 'role'],
                        'constraints': [models.UniqueConstraint(fields=('cluster', 'user', 'role'), name='role_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='RegionFunderAccess',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('granted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='granted at')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='funders', to='core.region', verbose_name='region')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='funder_accesses', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'region funder access',
                        'verbose_name_plural': 'region funder accesses',
                        'db_table': 'accounts_regionfunderaccess',
                        'constraints': [models.UniqueConstraint(fields=('region', 'user'), name='funder_access_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, unlabel_content_types),
    ]
