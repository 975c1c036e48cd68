"""The reports API's reference page, rendered on the server from its OpenAPI document (see
``core.api_docs``)."""

from tabyin.core.api_docs import docs_view
from tabyin.reports.api.v1 import api

docs = docs_view(api, "reports/stats/api_docs.html")
