from django.contrib import admin

from clusterdesk.accounts.models import ApiToken, Invitation, User

admin.site.register(
    User,
    list_display=["email", "full_name", "is_active", "is_superuser"],
    search_fields=["email", "full_name"],
    exclude=["password"],
)
admin.site.register(Invitation, list_display=["email", "cluster", "created_at", "accepted_at"])
admin.site.register(
    ApiToken, list_display=["user", "name", "prefix", "revoked_at"], exclude=["secret_hash"]
)
