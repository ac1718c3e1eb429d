"""/openapi.json describes what the API takes and answers, and the API keeps to it: a property-based run of
every operation (schemathesis, a bounded number of examples each) finds no 500 and no response that breaks
its documented schema or status codes."""
from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from sahelwatch.api.app import create_app
from sahelwatch.api.auth import Token
from sahelwatch.model import ACLED_COLUMNS, Document, Event
from sahelwatch.settings import Settings
from sahelwatch.store import Store

TOKEN = "schema-token"
# ACLED's columns that an event carries as they are (the others are derived at export: year, region, ...)
ACLED_EVENT_FIELDS = [c for c in ACLED_COLUMNS if c not in (
    "event_id_cnty", "year", "region", "admin3", "tags", "timestamp", "source_scale")] + ["event_id", "source_scale"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'schema.db'}"
    store = Store(db)
    text = "NIAMEY, March 3 - Gunmen killed four soldiers near Tera on Friday, the army said."
    doc = Document(doc_id="schema-1", text=text, title="Tera", source="Test Wire")
    store.add_extracted(doc, [Event(doc_id="schema-1", event_date="2024-03-01", event_type="Battles",
                                    sub_event_type="Armed clash", disorder_type="Political violence",
                                    actor1="Unidentified Armed Group (Niger)", inter1=3, iso=562, country="Niger",
                                    admin1="Tillaberi", location="Tera", latitude=14.0, longitude=0.75,
                                    fatalities=4)])
    data = tmp_path_factory.mktemp("schema-user-files")
    # webhooks off: a generated subscription's URL is never posted to (alerts are only recorded)
    app = create_app(Settings(db=db, max_body_bytes=200_000, webhooks=False, user_places=data / "places.csv",
                              user_actors=data / "actors.yaml"), store=store, token=Token(TOKEN, "test"),
                     warm=False)
    yield app
    store.close()


@pytest.fixture(scope="module")
def spec(app) -> dict:
    return TestClient(app).get("/openapi.json").json()


def _schema(spec: dict, ref: dict) -> dict:
    name = ref["$ref"].rsplit("/", 1)[-1]
    return spec["components"]["schemas"][name]


def test_the_schema_describes_an_events_acled_fields(spec):
    page = spec["paths"]["/api/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    refs = {r["$ref"].rsplit("/", 1)[-1] for r in page["anyOf"]}
    assert refs == {"EventPage", "FeatureCollection", "CompactPage"}
    event = spec["components"]["schemas"]["Event"]
    missing = [f for f in ACLED_EVENT_FIELDS if f not in event["properties"]]
    assert not missing
    assert "ACLED" in event["properties"]["event_id"]["description"]
    assert event["properties"]["fatalities"]["type"] == "integer"


@pytest.mark.parametrize(("path", "method", "model"), [
    ("/api/events/{event_id}", "get", "EventDetail"),
    ("/api/documents/{doc_id}", "get", "DocumentOut"),
    ("/api/actors", "get", "ActorList"),
    ("/api/stats", "get", "Stats"),
    ("/api/alerts", "get", "AlertList"),
    ("/api/trends", "get", "Trends"),
    ("/api/interactions", "get", "InteractionList"),
    ("/api/codebook", "get", "Codebook"),
    ("/api/health", "get", "Health"),
    ("/api/events/{event_id}", "patch", "ReviewResult"),
    ("/api/learned", "get", "LearnedList"),
    ("/api/learned/{entry_id}", "delete", "Learned"),
    ("/api/map/labels", "get", "MapLabels"),
    ("/api/subscriptions", "get", "SubscriptionList"),
    ("/api/subscriptions", "post", "SubscriptionCreated"),
    ("/api/subscriptions/{subscription_id}", "get", "SubscriptionOut"),
    ("/api/subscriptions/{subscription_id}", "delete", "Removed"),
    ("/api/subscriptions/{subscription_id}/alerts", "get", "SubscriptionAlertList"),
    ("/api/subscriptions/{subscription_id}/deliveries", "get", "DeliveryList"),
])
def test_every_route_documents_its_answer(spec, path, method, model):
    responses = spec["paths"][path][method]["responses"]
    ok = responses.get("200") or responses["201"]
    assert _schema(spec, ok["content"]["application/json"]["schema"]) == spec["components"]["schemas"][model]


@pytest.mark.parametrize(("path", "method"), [(p, m) for p in ("/api/events", "/api/events/{event_id}",
                                                                 "/api/documents/{doc_id}", "/api/stats")
                                              for m in ("get",)] + [("/api/ingest", "post")])
def test_errors_are_documented_in_their_one_shape(spec, path, method):
    responses = spec["paths"][path][method]["responses"]
    for status in ("400", "404", "422"):
        body = _schema(spec, responses[status]["content"]["application/json"]["schema"])
        assert body == spec["components"]["schemas"]["ErrorBody"]
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}


def test_the_ingest_body_is_documented_from_its_models(spec):
    body = spec["paths"]["/api/ingest"]["post"]["requestBody"]["content"]
    assert {"text", "url", "title", "published", "source"} <= set(body["application/json"]["schema"]["properties"])
    assert "file" in body["multipart/form-data"]["schema"]["properties"]


OPERATIONS = ["GET /api/events", "GET /api/events/{event_id}", "PATCH /api/events/{event_id}", "GET /api/export",
              "GET /api/documents/{doc_id}", "GET /api/actors", "GET /api/stats", "GET /api/codebook",
              "GET /api/health", "GET /api/alerts", "GET /api/trends", "GET /api/interactions", "POST /api/ingest",
              "GET /api/learned", "DELETE /api/learned/{entry_id}",
              "GET /api/subscriptions", "POST /api/subscriptions", "GET /api/subscriptions/{subscription_id}",
              "DELETE /api/subscriptions/{subscription_id}", "GET /api/subscriptions/{subscription_id}/alerts",
              "GET /api/subscriptions/{subscription_id}/deliveries",
              "GET /api/subscriptions/{subscription_id}/feed.atom", "GET /api/map/labels"]


@pytest.fixture(scope="module")
def operations(app) -> dict:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        found[f"{operation.method.upper()} {operation.path}"] = operation
    return found


def test_every_operation_is_fuzzed(operations):
    assert set(operations) == set(OPERATIONS)


NO_INPUT = ("GET /api/codebook", "GET /api/health", "GET /api/learned", "GET /api/subscriptions")  # nothing to get wrong


@pytest.mark.parametrize(("label", "mode"), [(op, GenerationMode.POSITIVE) for op in OPERATIONS]
                         + [(op, GenerationMode.NEGATIVE) for op in OPERATIONS if op not in NO_INPUT])
def test_no_request_breaks_the_api(operations, label, mode):
    """Generated requests, valid and not, with the token: never a 500, every answer as documented."""
    checks = [not_a_server_error, response_schema_conformance, status_code_conformance]

    @given(case=operations[label].as_strategy(mode))
    @settings(max_examples=20 if label.startswith("GET") else 10, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=checks)

    run()
