"""Arrays of 32-bit values as compact text, for the table's JSON records and the probes' headers."""

from __future__ import annotations

import base64

import numpy as np

_DTYPE = np.dtype("<u4")


def pack(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values, _DTYPE).tobytes()).decode("ascii")


def unpack(packed: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(packed), _DTYPE)
