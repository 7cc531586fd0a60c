"""The indexed document: nested detail plus the flat facets Kibana needs."""

from services.indexer.documents import to_document
from shared.schema import (
    Article,
    DedupInfo,
    EntityMention,
    LanguageInfo,
    LanguageSpan,
    NumberMention,
)


def article() -> Article:
    return Article(
        id="abc",
        title="عنوان",
        body="نص الخبر",
        source_file="x.txt",
        content_format="text",
        encoding="utf-8",
        ingested_at=1481500800.0,
        language=LanguageInfo(
            primary="ar",
            confidence=0.9,
            shares={"ar": 0.9, "en": 0.1},
            spans=[LanguageSpan(language="en", start=0, end=5, text="Aleppo today")],
            script="Arabic",
            is_arabic=True,
        ),
        entities=[
            EntityMention(
                text="حلب",
                start=0,
                end=3,
                type="LOCATION",
                canonical="حلب",
                geonames_id=170063,
                country_code="SY",
                lat=36.2,
                lon=37.16,
            ),
            EntityMention(
                text="بحلب",
                start=9,
                end=13,
                type="LOCATION",
                canonical="حلب",
                geonames_id=170063,
                country_code="SY",
                lat=36.2,
                lon=37.16,
            ),
            EntityMention(text="لافروف", start=20, end=26, type="PERSON", canonical="سيرغي لافروف"),
        ],
        numbers=[NumberMention(text="85 بالمئة", start=30, end=39, kind="percent", value=85.0)],
        dedup=DedupInfo(status="unique", cluster_id="abc"),
    )


def test_entities_become_distinct_keyword_facets_and_geo_points() -> None:
    doc = to_document(article(), indexed_at=1481500900.0)
    assert doc["locations"] == ["حلب"]
    assert doc["persons"] == ["سيرغي لافروف"]
    assert doc["organizations"] == []
    assert doc["places"] == ["36.2,37.16"]
    assert doc["entities"][0]["location"] == {"lat": 36.2, "lon": 37.16}
    assert "lat" not in doc["entities"][0]
    assert doc["country_codes"] == ["SY"]
    assert doc["entity_count"] == 3


def test_numbers_languages_and_times_are_flattened() -> None:
    doc = to_document(article(), indexed_at=1481500900.0)
    assert doc["number_kinds"] == ["percent"] and doc["number_units"] == []
    assert doc["number_count"] == 1
    assert doc["languages"] == ["ar", "en"]
    assert doc["foreign_text"] == "Aleppo today"
    assert doc["ingested_at"] == "2016-12-12T00:00:00.000+00:00"
    assert doc["indexed_at"].startswith("2016-12-12T00:01:40")
    assert doc["dedup"]["cluster_id"] == "abc"
