"""Faust's Kafka transport with an idempotent producer.

Faust turns on idempotence only for exactly-once transactions; at-least-once delivery with retries
wants it too, so that a retried send can never write a record twice. Registered as the `akhbar://`
broker scheme and used for every service's producer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import ProducerT

SCHEME = "akhbar"


class IdempotentProducer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class Transport(faust_aiokafka.Transport):
    Producer: ClassVar[type[ProducerT]] = IdempotentProducer


TRANSPORTS.data[SCHEME] = f"{__name__}:Transport"
