"""The dashboard and the stories: what is being said, where, how it spreads, and the figures.

``views`` (the dashboard) and ``views_story`` (story list and story page) → ``forms`` (filters),
``charts`` and ``network`` (drawing) → ``selectors_story``, ``selectors_network`` and
``selectors_metrics`` (the scorecard's media indicators) → ``selectors`` (the filtered posts and
stories every page starts from). Reads only: nothing here writes.
"""
