from django.contrib import admin

from clusterdesk.core.models import Cluster, ClusterRole, Domain, Region, RegionFunderAccess, Theme

admin.site.register(Region)
admin.site.register(Cluster, list_display=["name", "region", "kind", "state_label"])
admin.site.register(Domain, list_display=["name", "cluster"])
admin.site.register(Theme, list_display=["name", "cluster", "since_year"])
admin.site.register(ClusterRole, list_display=["user", "cluster", "role"])
admin.site.register(RegionFunderAccess, list_display=["user", "region"])
