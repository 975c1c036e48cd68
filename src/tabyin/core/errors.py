class OperatorError(Exception):
    """A problem with the deployment that the operator must fix; the message says how."""
