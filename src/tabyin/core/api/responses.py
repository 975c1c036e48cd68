"""JSON answers built by an API view itself (when it sets its own headers), encoded as the API's
renderer does: UTF-8 Persian rather than \\u escapes, Django's encoder for dates and decimals."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse


def json_response(data: Any, status: int = 200) -> HttpResponse:
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")
