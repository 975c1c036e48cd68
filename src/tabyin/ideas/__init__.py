"""Jam'i-no («جمعی‌نو»): public challenges, ideas and content contests, judged and followed to the end."""
