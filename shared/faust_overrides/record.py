"""The base of every record in shared/schema.py: Faust's Record, encoded and derived without decoding.

Relies on Faust's lazy nested fields: a nested record not read yet is held in the instance's
`__dict__` as the JSON data it arrived as, and `_options.fields` names the fields; `dumps` and
`_derive` (which `derive` calls) are the methods overridden.
"""

from __future__ import annotations

from typing import Any, cast

import faust
import orjson
from faust.types.codecs import CodecArg


class PlainRecord(faust.Record, include_metadata=False):
    """A record whose JSON carries no Faust namespace, only its fields.

    A stage reads a few fields of an article and hands the rest on. Faust decodes nested records only
    when a field is first read; encoding and `derive` here keep that so, sending on a nested field
    nobody read as the JSON it arrived as. Faust's own versions build every nested record first, which
    was most of a stage's cost of decoding and encoding the article.
    """

    def dumps(self, *, serializer: CodecArg = None) -> bytes:
        """Faust's bytes, faster: orjson takes each record's fields as they are held."""
        if (serializer or self._options.serializer or "json") != "json":
            return super().dumps(serializer=serializer)
        return orjson.dumps(self, default=PlainRecord.fields_of, option=orjson.OPT_NON_STR_KEYS)

    def to_data(self) -> dict[str, Any]:
        """The record as plain JSON-ready data (nested records become dicts)."""
        data: dict[str, Any] = orjson.loads(self.dumps(serializer="json"))
        return data

    def _derive(self, *objects: faust.types.ModelT, **fields: Any) -> PlainRecord:
        data = PlainRecord.fields_of(self)
        for other in objects:
            data.update(PlainRecord.fields_of(cast(faust.Record, other)))
        return type(self)(**{**data, **fields})

    @staticmethod
    def fields_of(record: faust.Record) -> dict[str, Any]:
        """A record's fields as held: a nested field not read yet is still the JSON data it came in as."""
        held = record.__dict__
        return {name: held[name] for name in record._options.fields}
