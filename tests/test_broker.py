"""The laptop default's broker: a worker polling the queue folder never takes a message that is
still being written (with kombu's own filesystem transport it could take an empty file, fail to
decode it and stop, and `make run` with it)."""

from __future__ import annotations

from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection

from config import broker


@pytest.fixture
def channel(tmp_path):
    folders = {"data_folder_in": tmp_path / "q", "data_folder_out": tmp_path / "q",
               "processed_folder": tmp_path / "done"}  # fmt: skip
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    options = {**{k: str(v) for k, v in folders.items()}, "store_processed": False}
    with Connection("filesystem://", transport=broker.Transport, transport_options=options) as c:
        yield c.default_channel


def test_a_worker_polling_while_a_message_is_written_finds_nothing_half_written(
    channel, monkeypatch
):
    seen = []
    encode = broker.str_to_bytes

    def while_writing(text):
        try:  # a worker polling the folder at this very moment
            seen.append(channel._get("celery"))
        except Empty:
            seen.append(None)
        return encode(text)

    monkeypatch.setattr(broker, "str_to_bytes", while_writing)
    channel._put("celery", {"body": "tick"})
    assert seen == [None]
    assert channel._get("celery") == {"body": "tick"}  # then it is there, whole
    with pytest.raises(Empty):
        channel._get("celery")


def test_the_laptop_default_uses_that_transport():
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("a real broker is configured (CI's Redis run)")
    from config.celery import app

    with app.connection_for_write() as connection:
        assert connection.transport_cls == "config.broker:Transport"
