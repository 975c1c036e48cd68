"""Configuration of the reports module (national administrators only): categories and their
questions, routing rules, the receiving units' set-up, and which units a report would reach.

``urls`` → ``views`` → ``forms`` → ``services`` → ``routing`` (which units receive a report under
the rules; it reads, never writes, and the intake, transfers and key grants use it as well).
"""
