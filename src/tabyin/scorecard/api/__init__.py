"""/api/v1/scorecards/: the published scorecard results as open data (django-ninja)."""
