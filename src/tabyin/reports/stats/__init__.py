"""Published statistics of violation reports: counts and the median time to close, nothing else,
on the public page and in the API (``reports.api``).

``urls`` → ``views`` → ``selectors`` (live reports plus the tallies deleted reports left; small
cells are hidden and figures rounded so no hidden cell can be narrowed down to one value).
"""
