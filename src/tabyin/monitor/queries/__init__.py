"""Watch queries and how posts are judged: the queries and their trial, the relevance threshold
(``selectors_relevance``: which matches count, read by alerts, briefs and the dashboard), and the
sentiment review where analysts correct labels (``views_sentiment``, ``selectors_sentiment``).
"""
