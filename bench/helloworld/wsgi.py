"""WSGI entry of the hello-world yardstick (bench/pages.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helloworld")
application = get_wsgi_application()
