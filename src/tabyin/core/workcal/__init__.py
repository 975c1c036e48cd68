"""The organization's working calendar: office hours of the Iranian week and the official holidays.

``hours`` is the pure arithmetic (a schedule and a set of holiday dates in, moments out);
``services`` reads the editable tables (``WorkSchedule``, ``Holiday``) and answers
``add_working_hours(start, hours)`` and ``working_hours_between(a, b)`` in Tehran time;
``seed`` holds the official holidays of 1405 and 1406 the migration loads (sources there).
"""
