"""Every place Akhbar reaches into Faust's internals, each with its reason, in one package.

    consumer.py  HandledOnlyConsumer, the `akhbar://` transport: commits only records a stage
                 handled, never passes an unhandled one, and reads again what Faust dropped
                 (`ack`, `_new_offset`, `getmany`, `_wait_next_records`, `perform_seek`,
                 `_read_offset`, `_acked_index`, `_unacked_messages`, the channels' queues)
    topic.py     DeadLetteringTopic: a record that cannot be decoded goes to the stage's dead
                 letters instead of raising in the agent (`on_value_decode_error`, `_clone_args`)
    record.py    PlainRecord: records encoded and derived without decoding the nested fields
                 nobody read (`dumps`, `_derive`, `_options.fields`, lazy fields in `__dict__`)

Each is pinned by tests that fail when a Faust upgrade changes what it relies on:
tests/unit/test_faust_consumer.py, tests/unit/test_stage.py and tests/unit/test_schema.py.
faust-streaming is pinned in pyproject.toml; read these again before moving it.
"""
