"""The API's request and response models: what /openapi.json says each route takes and answers.

Event fields use ACLED's names and meanings; sahelwatch's own fields (evidence, confidence, review
status, source counts) follow them. Text in requests refuses control characters and lone surrogates.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from sahelwatch.store.records import IngestReport

# --- request text: bounded, printable --------------------------------------------------------
NO_CONTROLS = r"^[^\x00-\x1f\x7f]*$"  # one line: no control characters at all
_BAD_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_BAD_IN_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
MAX_INT = 2**31 - 1  # the database's INTEGER


def _printable(value: str) -> str:
    """Report text may hold line breaks and tabs, never other control characters or lone surrogates."""
    bad = _BAD_IN_TEXT.search(value)
    if bad:
        raise ValueError(f"control character or lone surrogate U+{ord(bad.group()):04X} at {bad.start()}")
    return value


def _one_line(value: str) -> str:
    if _BAD_IN_LINE.search(value):
        raise ValueError("control characters and lone surrogates are not allowed")
    return value


Line = Annotated[str, StringConstraints(max_length=500, pattern=NO_CONTROLS), AfterValidator(_one_line)]
Name = Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROLS), AfterValidator(_one_line)]
ReportText = Annotated[str, StringConstraints(max_length=20_000_000), AfterValidator(_printable)]


class IngestText(BaseModel):
    """A report given as JSON: its text, or a URL to fetch (when text is absent)."""

    model_config = ConfigDict(extra="forbid")
    text: ReportText | None = Field(None, description="The report's text")
    url: Line | None = Field(None, description="An http(s) article or feed URL to fetch (when text is absent)")
    title: Line | None = None
    published: dt.date | None = Field(None, description="Publication date, YYYY-MM-DD")
    source: Line | None = Field(None, description="Who published it, e.g. Reuters")
    doc_id: Name | None = Field(None, description="Your id for the report (default: from its text)")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] | None = Field(None, examples=["fr"])


class IngestUpload(BaseModel):
    """A report uploaded as a file."""

    file: bytes = Field(description=".txt, .md, .html or .jsonl (one article per line)",
                        json_schema_extra={"format": "binary"})
    published: dt.date | None = None


def openapi_body(content: dict[str, type[BaseModel]]) -> dict[str, Any]:
    """An ``openapi_extra`` request body from models (for routes that read the body themselves)."""
    return {"requestBody": {"required": True, "content": {
        media: {"schema": model.model_json_schema(ref_template="#/components/schemas/{model}")}
        for media, model in content.items()}}}


class Review(BaseModel):
    """One review action on an event. Give `status` and/or `changes`, or one of the others."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["unreviewed", "verified", "rejected"] | None = Field(None, description="Verify or reject")
    changes: dict[Name, Any] | None = Field(
        None, max_length=40, description="Field edits, e.g. {\"fatalities\": 4}: any event field but event_id, "
                                         "doc_id and evidence")
    merge_with: list[Name] | None = Field(None, max_length=100, description="Ids of events to merge into this one")
    split_docs: list[Name] | None = Field(None, max_length=100,
                                          description="Doc ids whose reports become a new event")
    undo_merge: Name | None = Field(None, description="A merge id to undo")
    alias: AliasTeach | None = Field(None, description="Teach the extractor: words the report uses for a known actor "
                                                       "(with or without other changes)")
    learn: bool = Field(True, description="Let a place or actor edit teach the extractor: a village the gazetteer "
                                          "lacks (location with latitude and longitude) goes to the user places "
                                          "file, an actor the registry lacks to the user actors file")


class AliasTeach(BaseModel):
    """Words a report uses for an actor of the registry ("the Sirba fighters" for a known group)."""

    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(min_length=1, max_length=150, pattern=NO_CONTROLS)] = Field(
        description="The words, as the report writes them")
    actor: Name = Field(description="The registry actor's canonical name (GET /api/actors)")


# --- responses --------------------------------------------------------------------------------
class Evidence(BaseModel):
    start: int = Field(description="Character offset of the span in the report")
    end: int
    text: str


class Event(BaseModel):
    """One incident, ACLED-style: one place, one day, one pair of sides."""

    event_id: str = Field(description="ACLED event_id_cnty: country code and number, e.g. NER12345")
    doc_id: str | None = Field(description="The report the event was first extracted from")
    event_date: str | None = Field(description="Day of the event, YYYY-MM-DD")
    time_precision: int | None = Field(description="1 day, 2 week, 3 month (ACLED)")
    disorder_type: str | None = Field(description="Political violence, Demonstrations, Strategic developments")
    event_type: str | None = Field(description="ACLED event type, e.g. Battles")
    sub_event_type: str | None = Field(description="ACLED sub-event type, e.g. Armed clash")
    actor1: str | None = Field(description="Main actor: who did it")
    assoc_actor_1: str | None = Field(description="Actors associated with actor1 (; separated)")
    inter1: int | None = Field(description="ACLED inter code of actor1 (1 state forces ... 8 external forces)")
    actor2: str | None = Field(description="The other side or the target")
    assoc_actor_2: str | None = None
    inter2: int | None = None
    interaction: int | None = Field(description="ACLED interaction code: the two inter codes, smaller first")
    civilian_targeting: bool = Field(description="Civilians were the target")
    iso: int | None = Field(description="ISO 3166-1 numeric country code")
    country: str | None = None
    admin1: str | None = Field(description="First-level region")
    admin2: str | None = Field(description="Second-level region")
    location: str | None = Field(description="Town, village or site")
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = Field(description="1 the place itself, 2 near it, 3 its region (ACLED)")
    source: str | None = Field(description="Who reported it")
    notes: str | None = Field(description="What happened, in a sentence or two")
    fatalities: int = Field(description="Reported deaths (ACLED: the lowest reported figure)")
    injured: int | None = None
    claimed: bool = Field(description="A group claimed the attack")
    fatalities_text: str | None = Field(description="The words the death toll was read from")
    evidence: list[Evidence] = Field(description="Spans of the report each field was read from")
    confidence: float | None = None
    salience: str | None = Field(description="main news, or a recalled background incident")
    status: str = Field(description="Review status: unreviewed, verified or rejected")
    source_count: int = Field(description="Reports behind the event")
    source_scale: str | None = Field(description="ACLED source scale of its sources")
    fatalities_min: int | None = Field(description="Lowest death toll among its sources")
    fatalities_max: int | None = Field(description="Highest death toll among its sources")
    created: str | None = None
    updated: str | None = None
    merged_into: str | None = Field(description="The event this one was merged into, if any")
    independent_sources: int | None = Field(None, description="Independent sources behind the event (outlets "
                                            "carrying one agency's copy count once)")
    confirmed_by: str | None = Field(None, description="The first source that reports the event and is neither a "
                                     "claim nor the claimant's own outlet; empty while it rests on a claim")
    source_notes: list[dict[str, Any]] = Field([], description="Claims and denials by parties: doc_id, source, "
                                               "note (claim or denial), by, text")
    fatality_figures: list[dict[str, Any]] = Field([], description="The toll each source gave: doc_id, source, "
                                                   "fatalities (fatalities is the lowest)")


class Source(BaseModel):
    doc_id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    origin_event_id: str
    evidence: list[Evidence]
    link_reason: dict[str, Any] | None = Field(None, description="Why this report was linked to the event: "
                                               "date_gap_days, distance_km, places, same_place_name, "
                                               "shared_actors, types, score")


class AuditEntry(BaseModel):
    action: str
    user: str | None
    at: str
    before: Any
    after: Any


class MergeRecord(BaseModel):
    merge_id: str
    absorbed: list[str]
    user: str | None
    automatic: bool
    created: str | None
    undone: str | None
    reason: dict[str, Any] | None = Field(None, description="Why an automatic merge was made")


class Learned(BaseModel):
    """A place, actor or alias learned from a review: an entry of the user places or actors file."""

    id: str = Field(description="Stable id of the entry (DELETE /api/learned/{id} undoes it)")
    kind: Literal["place", "actor", "alias"]
    name: str = Field(description="The village, the actor's name, or the alias words")
    actor: str | None = Field(None, description="For an alias: the actor it names")
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    inter: int | None = Field(None, description="For an actor: its ACLED inter code")
    added_by: str = Field("", description="The reviewer who taught it")
    event_id: str = Field("", description="The event whose review taught it")
    added_at: str = Field("", description="When, UTC")
    file: str = Field("", description="The user file it is kept in")


class LearnedList(BaseModel):
    entries: list[Learned]
    places_file: str = Field(description="The user places CSV (the `sahelwatch gazetteer import` layout)")
    actors_file: str = Field(description="The user actors file (the actors.yaml layout)")


class EventDetail(Event):
    """An event with its sources (reports and evidence spans), audit trail and merges."""

    sources: list[Source] = []
    audit: list[AuditEntry] = []
    merges: list[MergeRecord] = []
    merge_id: str | None = None
    learned: list[Learned] = Field([], description="Learned from review: the entries of the user files its place "
                                                   "or actors come from")


class EventPage(BaseModel):
    total: int = Field(description="Events matching the filters")
    limit: int
    offset: int
    events: list[Event]


class Feature(BaseModel):
    type: Literal["Feature"]
    geometry: dict[str, Any] | None
    properties: dict[str, Any]


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"]
    total: int
    limit: int
    offset: int
    features: list[Feature]


class CompactPage(BaseModel):
    """Rows for the map: event types and statuses are indexes into the two lists."""

    columns: list[str]
    event_types: list[str]
    statuses: list[str]
    rows: list[list[Any]]
    total: int
    limit: int
    offset: int


class ReviewResult(BaseModel):
    action: Literal["edit", "merge", "split", "undo_merge"]
    event: EventDetail | None = None
    events: list[EventDetail] | None = None
    learned: list[Learned] = Field([], description="What this review taught the extractor")
    notes: list[str] = Field([], description="Why a place or actor edit taught nothing, one line each")


class DocumentOut(BaseModel):
    doc_id: str
    text: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    language: str | None
    fetched: str | None
    content_hash: str
    events: list[str] = Field(description="Ids of the events this report supports")


class Actor(BaseModel):
    name: str
    short: str | None = None
    category: str | None = None
    inter: int | None = None
    kind: str | None = None
    parent: str | None = None
    countries: list[str] = []
    aliases: list[str] = []
    events: int = Field(0, description="Events of this actor in the database")
    fatalities: int = 0
    in_registry: bool = Field(description="In the actor registry (else only named by stored events)")


class ActorList(BaseModel):
    actors: list[Actor]


class StatRow(BaseModel):
    key: str | int = Field(description="The month, week start, country, region, actor or event type")
    events: int
    fatalities: int
    civilian_fatalities: int


class Stats(BaseModel):
    by: str
    rows: list[StatRow]


class Codebook(BaseModel):
    event_types: dict[str, list[str]]
    inter_codes: dict[str, str]
    statuses: list[str]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    events: int


class IngestResult(BaseModel):
    documents: list[str] = Field(description="Ids of the reports read from the request")
    errors: list[str] = Field(description="Inputs that could not be read")
    report: IngestReport


class Alert(BaseModel):
    rule: str
    period: str
    period_start: str
    period_end: str
    level: str
    country: str
    admin1: str
    admin2: str
    actor: str
    metric: str
    observed: float
    baseline: float | None
    p_value: float | None
    threshold: str
    details: dict[str, Any]
    area: str
    message: str


class AlertList(BaseModel):
    period: str
    count: int
    alerts: list[Alert]


class Series(BaseModel):
    key: str | dict[str, str] = Field(description="The row: a name, or its place parts {country, admin1, ...}")
    label: str
    events: list[int] = []
    fatalities: list[int] = []
    civilian_events: list[int] = []
    civilian_fatalities: list[int] = []


class Trends(BaseModel):
    by: str
    period: str
    metric: str
    periods: list[str]
    period_starts: list[str]
    series: list[Series]


class Interaction(BaseModel):
    period: str
    period_start: str
    period_end: str
    actor1: str
    actor2: str
    events: int
    fatalities: int
    civilian_fatalities: int


class InteractionList(BaseModel):
    period: str
    count: int
    interactions: list[Interaction]


# --- alert subscriptions ----------------------------------------------------------------------
AlertRule = Literal["escalation", "civilian_targeting_rise", "new_area", "new_actor", "state_violence_against_civilians"]
WebhookUrl = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s/?#]+[^\s]*$"),
                       AfterValidator(_one_line)]


class SubscriptionIn(BaseModel):
    """A subscription to make: a named filter (the web app's current filters), its rules and delivery."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"),
                    AfterValidator(_one_line)]
    country: Name | None = Field(None, description="Country name, e.g. Mali")
    admin1: Name | None = Field(None, description="First-level region")
    admin2: Name | None = Field(None, description="Second-level region")
    actor: Name | None = Field(None, description="Part of an actor's name (actor1, actor2 or associated)")
    event_type: Name | None = Field(None, description="ACLED event type")
    min_fatalities: int | None = Field(None, ge=0, le=MAX_INT)
    rules: list[AlertRule] = Field([], max_length=5, description="Alert rules to follow (empty: all)")
    period: Literal["month", "week"] = "month"
    webhook_url: WebhookUrl | None = Field(None, description="POST each new alert here as JSON, signed "
                                                             "(X-Sahelwatch-Signature: sha256=HMAC of the body)")
    secret: Annotated[str, StringConstraints(min_length=16, max_length=128, pattern=r"^[!-~]+$")] | None = Field(
        None, description="The webhook's HMAC key (default: a random one, returned once)")
    backfill: bool = Field(False, description="Also deliver the alerts there already (default: only new ones)")


class SubscriptionOut(BaseModel):
    id: int
    name: str
    created: str
    country: str | None
    admin1: str | None
    admin2: str | None
    actor: str | None
    event_type: str | None
    min_fatalities: int | None
    rules: list[str]
    period: str
    webhook_url: str | None = Field(description="Where its alerts are POSTed; path and query hidden (they may hold a secret)")
    signed: bool = Field(description="Webhook posts carry an HMAC signature")
    feed: str = Field(description="Path of its Atom feed")


class SubscriptionCreated(SubscriptionOut):
    secret: str | None = Field(description="The webhook's HMAC key: shown here only")
    existing_alerts: int = Field(description="Alerts there at creation (delivered only with backfill)")


class SubscriptionList(BaseModel):
    subscriptions: list[SubscriptionOut]


class SubscriptionAlertOut(BaseModel):
    alert_id: str
    found: str
    state: str = Field(description="feed (no webhook), pending, delivered or failed")
    delivered: str | None
    alert: Alert


class SubscriptionAlertList(BaseModel):
    subscription_id: int
    alerts: list[SubscriptionAlertOut]


class DeliveryOut(BaseModel):
    alert_id: str
    url: str
    attempt: int
    at: str
    ok: bool
    status_code: int | None
    error: str | None
    seconds: float | None


class DeliveryList(BaseModel):
    subscription_id: int
    deliveries: list[DeliveryOut]


class Removed(BaseModel):
    removed: int


class MapLabels(BaseModel):
    """Place labels for the map from the gazetteer: each row is ``columns``; ``zoom`` is the map zoom from
    which the label shows (capitals first, admin1 names and towns by population, villages last)."""

    columns: list[str]
    count: int
    rows: list[list[Any]]
