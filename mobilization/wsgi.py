import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilization.settings")
application = get_wsgi_application()

from .deploy import require_collected_static  # noqa: E402  (needs the settings loaded above)

require_collected_static()
