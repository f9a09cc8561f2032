"""kombu's filesystem transport, with each message written whole before a worker can see it.

The laptop default's broker is kombu's filesystem transport: one file per message in a folder.
kombu 5.x creates the message's file under its final name and only then writes into it, while a
worker polling the folder takes any file with that name at once; taken in between, the file is
empty, kombu's JSON decoding fails and the worker stops for good (celery/kombu#1551). `make run`
then stops everything. Here a message is written under a name no worker looks for and then
renamed, in one step (``os.replace`` within one folder), to the name workers take.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        """Put ``payload`` onto ``queue``: written in full under a temporary name, then renamed."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")  # not "<queue>.msg"
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
