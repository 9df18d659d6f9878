"""Settings for the beats that tests start as processes (tests/test_beat_lock.py): the test
settings with a schedule of one entry due every second, sent to a queue of the test's own
(``BEAT_TEST_QUEUE``) that no worker reads, so that what each beat sends shows at once."""

import os

from config.settings_test import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "every-second-beat-lock-test": {
        "task": "compact.tasks.heartbeat_record",
        "schedule": 1.0,
        "args": ("beat-lock-test",),
        "options": {"queue": os.environ.get("BEAT_TEST_QUEUE", "beat-lock-test"), "expires": 5},
    },
}
