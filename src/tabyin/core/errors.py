import re

from django.views.debug import SafeExceptionReporterFilter


class OperatorError(Exception):
    """A problem with the deployment that the operator must fix; the message says how."""


class SafeErrorFilter(SafeExceptionReporterFilter):
    """Error pages and error e-mails hide every setting Django hides, and the receipt pepper too."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|PEPPER", flags=re.IGNORECASE
    )
