import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tabyin.config.settings")
application = get_wsgi_application()

# Embedded mode has no beat process: the web process runs periodic jobs (one per data dir).
from tabyin.core.background import start_embedded_scheduler  # noqa: E402

start_embedded_scheduler()
