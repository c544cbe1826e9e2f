"""No two active bookings of a resource overlap: an exclusion constraint on PostgreSQL
(with the btree_gist extension for the resource's equality); nothing on SQLite, where the
booking service's check runs under the database's write lock."""

from django.db import migrations

from clusterdesk.facilities.db import (
    AddPostgresConstraint,
    PostgresBtreeGist,
    booking_overlap_constraint,
)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]

    operations = [
        PostgresBtreeGist(),
        AddPostgresConstraint("booking", booking_overlap_constraint()),
    ]
