"""What nps tells later apps, without importing them (reporting keeps its summaries current with these).

Both are sent inside the transaction that made the change; a receiver that does work outside the database
(queueing a task) defers it with transaction.on_commit, so a rolled-back change queues nothing.
"""

from django.dispatch import Signal

# A response was completed or changed (answers, score, comment); `response_id`.
response_changed = Signal()
# A follow-up was closed or reopened; `followup_id`.
followup_changed = Signal()
