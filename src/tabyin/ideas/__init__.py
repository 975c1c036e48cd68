"""Jam'i-no: public challenges, ideas and contests (issue 18)."""
