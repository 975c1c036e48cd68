"""Identity: a confidential reporter's identity, sealed to the custodians and disclosed to a unit
only when a custodian approves a handler's request. Custodians decide without reading the report.

``urls`` → ``views`` → ``forms`` → ``services`` (request, decide; it reads the case through the
cases feature's selectors).
"""
