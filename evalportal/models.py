from django.db import models


class Heartbeat(models.Model):
    """The last time a periodic job ran; /readyz reads it to tell that beat and a worker are alive."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
