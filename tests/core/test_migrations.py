"""The roles moved from accounts to core without moving their rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_member_role"), ("core", "0002_market")]
AFTER = [("accounts", "0003_roles_move_to_core"), ("core", "0003_roles_from_accounts")]


@pytest.mark.django_db(transaction=True)
def test_roles_keep_their_rows_when_they_move_to_core() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    region = old.get_model("core", "Region").objects.create(name="Occitanie", slug="occ")
    cluster = old.get_model("core", "Cluster").objects.create(
        name="Pôle", slug="pole", region=region
    )
    user = old.get_model("accounts", "User").objects.create(email="dir@example.org")
    old.get_model("accounts", "ClusterRole").objects.create(
        cluster=cluster, user=user, role="director"
    )
    old.get_model("accounts", "RegionFunderAccess").objects.create(region=region, user=user)
    content_types = old.get_model("contenttypes", "ContentType").objects
    role_type = content_types.get_or_create(app_label="accounts", model="clusterrole")[0]

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    roles = new.get_model("core", "ClusterRole").objects
    assert list(roles.values_list("cluster_id", "user_id", "role")) == [
        (cluster.pk, user.pk, "director")
    ]
    accesses = new.get_model("core", "RegionFunderAccess").objects
    assert list(accesses.values_list("region_id", "user_id")) == [(region.pk, user.pk)]
    # Audit entries name the moved rows through this content type: it follows the model.
    role_type.refresh_from_db()
    assert (role_type.app_label, role_type.model) == ("core", "clusterrole")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
