"""The embedded broker of the default start: kombu's filesystem transport, with
messages written atomically.

kombu writes a message file in place; a worker polling the folder can pick the
file up while it is still empty and stop on a JSON error. Here a message is
written under a name the reader ignores and renamed into place when complete
(``os.replace`` is atomic on one filesystem).
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
    # kombu's filesystem Channel has this signature, unlike its AbstractChannel (its stubs
    # ignore the same).
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as error:
            raise ChannelError(f"Cannot add {final!r} to the queue") from error


class Transport(filesystem.Transport):
    Channel = Channel
