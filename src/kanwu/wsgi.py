import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanwu.settings.base")

django_application = get_wsgi_application()

from kanwu.publishing.fastpath import FastPath  # noqa: E402 (needs Django set up first)

application = FastPath(django_application)
