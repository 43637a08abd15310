"""A tenant host's URLs as in production, plus one floor view per benchmark under bench/floor/.

The production patterns are spread, not include()d, so /graphql/ resolves exactly as in
production; the floors come after them and cannot shadow anything.
"""

from django.urls import path

from bench import floors, floors_emergency
from config.urls_tenants import urlpatterns as tenant_urlpatterns

urlpatterns = [
    *tenant_urlpatterns,
    path("bench/floor/me/", floors.me),
    path("bench/floor/risk_list/", floors.risk_list),
    path("bench/floor/activation_list/", floors_emergency.activation_list),
    path("bench/floor/activation_timeline/", floors_emergency.activation_timeline),
]
