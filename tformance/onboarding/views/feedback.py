"""What the user is told after asking for a sync: queued, or why it could not be sent yet."""

from django.contrib import messages

QUEUE_DOWN = (
    "Tformance's job queue is not answering right now, so the sync could not start yet. "
    "Nothing is lost: it starts on its own within a few minutes of the queue coming back, "
    "or press Retry then."
)


def say_queued(request, report, success: str) -> None:
    """`success`, unless a message of `report` (`core.queue.sends_watched`) was not sent."""
    if report.unsent:
        messages.warning(request, QUEUE_DOWN)
    else:
        messages.success(request, success)
