import dramatiq
import pytest
from django.db import transaction

from tformance.core.queue import in_process_worker_start, in_process_worker_stop, send_on_commit

received = []


@dramatiq.actor(queue_name="test-queue", max_retries=0)
def remember(*, value: int) -> None:
    received.append(value)


@pytest.fixture
def broker():
    broker = dramatiq.get_broker()
    broker.flush_all()
    received.clear()
    yield broker
    broker.flush_all()


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_before_the_transaction_commits(broker):
    with transaction.atomic():
        send_on_commit(remember, value=1)
        assert broker.queues["test-queue"].qsize() == 0

    assert broker.queues["test-queue"].qsize() == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_on_commit(remember, value=1)
        raise RuntimeError("rolled back")

    assert broker.queues["test-queue"].qsize() == 0


@pytest.mark.django_db(transaction=True)
def test_the_in_process_worker_runs_messages_without_redis(broker, settings):
    settings.DRAMATIQ_IN_PROCESS_WORKER = True
    try:
        send_on_commit(remember, value=7)
        broker.join("test-queue", timeout=10_000)
        worker = in_process_worker_start()
        assert worker is not None
        worker.join()
    finally:
        in_process_worker_stop()

    assert received == [7]


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_is_reported_to_the_watcher_not_raised(broker):
    from tests.helpers.workers import DeadBrokerSwap
    from tformance.core.queue import sends_watched

    with DeadBrokerSwap(), sends_watched() as report:
        with transaction.atomic():
            send_on_commit(remember, value=1)
            send_on_commit(remember, value=2)

    assert report.unsent == ["remember", "remember"]
    assert broker.queues["test-queue"].qsize() == 0
