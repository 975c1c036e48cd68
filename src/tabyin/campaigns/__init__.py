"""Campaigns: one message written once and sent to every owned channel, and what it changed."""
