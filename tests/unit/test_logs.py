import json
import logging

from shared.logs import JsonFormatter


def test_a_log_line_is_one_json_object_with_its_context_fields() -> None:
    record = logging.LogRecord("shared.stage", logging.INFO, __file__, 1, "processed %s", ("x",), None)
    record.article_id = "abc"
    record.partition = 3
    line = JsonFormatter("language").format(record)
    data = json.loads(line)
    assert "\n" not in line
    assert data["msg"] == "processed x" and data["level"] == "info" and data["service"] == "language"
    assert data["article_id"] == "abc" and data["partition"] == 3
    assert data["ts"].endswith("Z")
