from pathlib import Path

import pytest

from shared.settings import Settings


def test_defaults_point_at_the_local_engines() -> None:
    settings = Settings.from_env({})
    assert settings.kafka_bootstrap == "127.0.0.1:9092"
    assert settings.elasticsearch_url == "http://127.0.0.1:9200"
    assert not settings.external_kafka and not settings.external_elasticsearch
    assert settings.bind_host == "127.0.0.1"
    assert settings.elasticsearch_auth == {}


def test_existing_clusters_are_marked_external_and_credentials_used() -> None:
    settings = Settings.from_env(
        {
            "KAFKA_BOOTSTRAP": "kafka:9092",
            "ELASTICSEARCH_URL": "https://es:9200/",
            "ELASTICSEARCH_USERNAME": "akhbar",
            "ELASTICSEARCH_PASSWORD": "secret",
            "AKHBAR_RUN_DIR": "/tmp/run",
        }
    )
    assert settings.external_kafka and settings.external_elasticsearch
    assert settings.elasticsearch_url == "https://es:9200"
    assert settings.elasticsearch_auth == {"basic_auth": ("akhbar", "secret")}
    assert settings.drop_dir == Path("/tmp/run/drop")


def test_an_api_key_wins_over_a_password() -> None:
    settings = Settings.from_env({"ELASTICSEARCH_API_KEY": "k", "ELASTICSEARCH_USERNAME": "u"})
    assert settings.elasticsearch_auth == {"api_key": "k"}


def test_a_malformed_number_names_its_variable() -> None:
    with pytest.raises(ValueError, match="AKHBAR_TOPIC_PARTITIONS"):
        Settings.from_env({"AKHBAR_TOPIC_PARTITIONS": "four"})


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.bind_host = "0.0.0.0"  # type: ignore[misc]


def test_the_entities_recogniser_is_one_of_those_the_service_loads() -> None:
    assert Settings.from_env({}).entities_recognizer == "crf"
    assert Settings.from_env({"AKHBAR_ENTITIES_RECOGNIZER": " Rules "}).entities_recognizer == "rules"
    with pytest.raises(ValueError, match="AKHBAR_ENTITIES_RECOGNIZER must be one of rules, crf"):
        Settings.from_env({"AKHBAR_ENTITIES_RECOGNIZER": "bert"})
