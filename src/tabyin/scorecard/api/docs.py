"""The scorecard API's reference page, rendered on the server from its OpenAPI document (see
``core.api_docs``)."""

from tabyin.core.api_docs import docs_view
from tabyin.scorecard.api.v1 import api

docs = docs_view(api, "scorecard/api_docs.html")
