"""The daily brief and a senior manager's morning.

``views``/``tasks`` (the periodic send, a rebuild on demand) → ``services`` (build, send) →
``selectors_morning`` (the home panel) → ``selectors`` (what a day's brief says).
"""
