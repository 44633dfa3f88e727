"""The NinjaAPI instance: auth, error shapes in Indonesian, routers of the apps."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError

from naikkelas.api.auth import BearerToken, Session
from naikkelas.api.schemas import error_detail
from naikkelas.dashboard.api import router as dashboard_router
from naikkelas.financing.api import router as financing_router
from naikkelas.lifecycle.api import router as lifecycle_router
from naikkelas.opportunities.api import router as opportunities_router
from naikkelas.performance.api import router as performance_router
from naikkelas.planning.api import router as planning_router
from naikkelas.privacy.api import router as privacy_router
from naikkelas.regions.api import router as regions_router
from naikkelas.registry.api import businesses, cooperatives
from naikkelas.supervision.api import router as supervision_router
from naikkelas.training.api import router as training_router

api = NinjaAPI(
    title="naikkelas API",
    version="1",
    description="UMKM and cooperative registry of a Dinas Koperasi dan UMKM. Bearer token: `naikkelas api_token USERNAME`.",
    urls_namespace="api_v1",
    auth=[BearerToken(), Session()],
)
api.add_router("/regions", regions_router)
api.add_router("/businesses", businesses)
api.add_router("/businesses", lifecycle_router)
api.add_router("/businesses", performance_router)
api.add_router("/cooperatives", cooperatives)
api.add_router("/dashboard", dashboard_router)
api.add_router("", planning_router)
api.add_router("/training", training_router)
api.add_router("/capital", financing_router)
api.add_router("", supervision_router)
api.add_router("", opportunities_router)
api.add_router("", privacy_router)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": error_detail(exc)}, status=422)


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc: SchemaValidationError):
    detail = []
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or "body"
        detail.append({"field": field, "message": _("%(field)s: invalid value.") % {"field": field}})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Not allowed.")}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Log in or send a valid Bearer token.")}, status=401)
