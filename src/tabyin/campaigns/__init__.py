"""Campaigns: one message to every owned channel, and an honest estimate of what it changed (issue 19)."""
