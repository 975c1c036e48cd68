import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tabyin.config.settings")
django_application = get_wsgi_application()

# Anonymous reads of cached public responses are answered before Django's middleware chain, with
# the headers Django sent for them (ADR 0019); everything else goes through Django.
# A poll's answer (a form POST without a session) runs through Django's handler with only the
# middleware that acts on it (ADR 0042), inside the front layer, which drops untrusted proxy headers.
from tabyin.core.caching.front import front  # noqa: E402
from tabyin.reception.polls.fast import poll_answers  # noqa: E402

application = front(poll_answers(django_application))

# Embedded mode has no beat process: the web process runs periodic jobs (one per data dir).
from tabyin.core.background import start_embedded_scheduler  # noqa: E402

start_embedded_scheduler()
