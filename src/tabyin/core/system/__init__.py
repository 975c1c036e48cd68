"""The running site's health: the task engine's heartbeat and probe, expired sessions, and the
start-up and `tabyin check` probes (``preflight``: database, Redis, migrations, the OTP key).

``services`` and ``preflight`` are independent of each other; the staff System page
(``core/staff/views.py``) and ``/healthz`` read them.
"""
