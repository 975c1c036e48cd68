"""The staff calendar (issue 20): what every app has planned and promised, month by month, and as
iCalendar (a download and a personal subscription feed). A Django app of its own inside core, so
that its one table (the feed tokens) has its own migrations."""
