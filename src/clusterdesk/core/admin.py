from django.contrib import admin

from clusterdesk.core.models import Cluster, Domain, Region, Theme

admin.site.register(Region)
admin.site.register(Cluster, list_display=["name", "region", "kind", "state_label"])
admin.site.register(Domain, list_display=["name", "cluster"])
admin.site.register(Theme, list_display=["name", "cluster", "since_year"])
# Roles and funder access are registered by accounts/admin.py, which audits their changes.
