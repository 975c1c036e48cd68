"""Staff sign-in: password, the second factor (TOTP), lock-out, invitations and password reset.

The feature's layers are ``views`` (log-in, code, log-out, forgotten and new password) → ``forms``
→ ``services`` (the sign-in rules, the second factor, audit) → ``services_invite`` (the invitation
and password e-mails) | ``services_otp`` (re-sealing the authenticator secrets under a new key, for
`tabyin manage otp_rotate_key`). The sealed device model stays in ``core/models_otp.py`` and its
sealing in ``core/otp_sealing.py``: ``core/models.py`` and a migration import them.
"""
