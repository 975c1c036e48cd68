"""Intake: the citizen's side of violation reports. What can be reported, the form, the receipt
code shown once, follow-up with that code (status, messages, files), printable posters, and the
limits that keep spam out without telling any sender apart.

``urls`` → ``views`` → ``forms`` → ``services_reporter`` (the reporter after submission) →
``services`` (check, route, encrypt, store) → ``services_receipts`` (codes against the database).
Below them the pure code: ``validation`` (every rule a report must meet; the case work uses it
too) and ``abuse`` (signed tokens, proof of work, lanes; ADR 0014).
"""
