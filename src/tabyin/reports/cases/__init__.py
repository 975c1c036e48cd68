"""Cases: the work of the handlers of a unit that received a report. The unit's inbox, a case with
its actions (status, assignee, notes, messages to the reporter, deadline, transfer, legal hold),
evidence downloads and the CSV export.

``urls`` → ``views`` → ``forms`` | ``exports`` → ``services`` → ``selectors`` (what handlers
read; every case is read through ``recipient_for``) | ``selectors_work`` (the "my work" items).
"""
