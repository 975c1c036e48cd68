"""Notifications: how a person hears about new work (in-app inbox, e-mail, the messenger bot),
their quiet hours and daily digest, and the ledger of what reached them.

The feature's layers are ``views`` (the settings page, the inbox) → ``forms`` → ``services`` (scan
for new work, send now or hold, the ledger) → ``bot`` (the messenger bot's client, pure: no model;
the monitor's alert channel sends through it too). The models stay in ``core/models_notify.py``
(re-exported by ``core/models.py``), so the app label and migrations are unchanged.
"""
