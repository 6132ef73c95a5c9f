from django.apps import AppConfig


class ServingConfig(AppConfig):
    """The processes: `kanwu serve` (granian with the RSGI front, supervised), `kanwu worker`,
    and `GET /healthz`."""

    name = "kanwu.serving"
    label = "serving"
    verbose_name = "运行"
