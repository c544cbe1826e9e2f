"""The REST API under /api/v1/: one router per domain, all with the same auth and errors."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from clusterdesk.api import clusters, crm, results
from clusterdesk.api.auth import AUTH
from clusterdesk.api.brokerage import router as brokerage_router
from clusterdesk.api.errors import document_error_responses, install_error_handlers
from clusterdesk.api.events import router as events_router
from clusterdesk.api.facilities import router as facilities_router
from clusterdesk.api.projects import router as projects_router
from clusterdesk.api.support import router as support_router


class ClusterDeskAPI(NinjaAPI):
    """The API whose operation ids stay put and whose OpenAPI document lists the JSON errors
    every route may answer."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_error_responses(super().get_openapi_schema(**kwargs))

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The domain's router module, also once it is a package with a module per resource:
        # clients generate code from these ids, which must not change with the layout.
        module = ".".join(operation.view_func.__module__.split(".")[:3])
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = ClusterDeskAPI(
    title="ClusterDesk API",
    version="1",
    description=(
        "Personal tokens are created in your profile page and sent as "
        "`Authorization: Bearer <token>`. Every route answers with what you may see in the "
        "web pages, no more; an object you may not see answers 404."
    ),
    urls_namespace="api-v1",
    auth=AUTH,
)
install_error_handlers(api)
api.add_router("/", clusters.router)
api.add_router("/", crm.organisations)
api.add_router("/", crm.memberships)
api.add_router("/", crm.contacts)
api.add_router("/", crm.interactions)
api.add_router("/", results.router)
api.add_router("/", projects_router)
api.add_router("/", events_router)
api.add_router("/", brokerage_router)
api.add_router("/", support_router)
api.add_router("/", facilities_router)
