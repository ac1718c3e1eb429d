"""The database schema as SQLAlchemy Core tables (the migrations in ``migrations/`` create it).

Backend-specific parts live only in the migrations: on SQLite an FTS5 index over document text
and an R*Tree over event coordinates; on PostgreSQL a PostGIS point column with a GiST index and
a tsvector column with a GIN index.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.String(200), nullable=False, unique=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text, index=True),
    sa.Column("source", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("language", sa.String(16)),
    sa.Column("fetched", sa.String(32)),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(32), nullable=False, unique=True),
    sa.Column("doc_id", sa.String(200)),
    sa.Column("event_date", sa.String(10)),
    sa.Column("event_day", sa.Integer),  # days since 1970-01-01: blocking key for dedup
    sa.Column("time_precision", sa.Integer),
    sa.Column("disorder_type", sa.Text),
    sa.Column("event_type", sa.Text),
    sa.Column("sub_event_type", sa.Text),
    sa.Column("actor1", sa.Text),
    sa.Column("assoc_actor_1", sa.Text),
    sa.Column("inter1", sa.Integer),
    sa.Column("actor2", sa.Text),
    sa.Column("assoc_actor_2", sa.Text),
    sa.Column("inter2", sa.Integer),
    sa.Column("interaction", sa.Integer),
    sa.Column("civilian_targeting", sa.Boolean),
    sa.Column("iso", sa.Integer),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("source", sa.Text),
    sa.Column("notes", sa.Text),
    sa.Column("fatalities", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("claimed", sa.Boolean),
    sa.Column("fatalities_text", sa.Text),
    sa.Column("evidence", sa.Text),  # JSON list of {start, end, text}
    sa.Column("confidence", sa.Float),
    sa.Column("salience", sa.String(16)),
    sa.Column("status", sa.String(16), nullable=False, server_default="unreviewed"),
    sa.Column("source_count", sa.Integer, nullable=False, server_default="1"),
    sa.Column("source_scale", sa.Text),
    sa.Column("fatalities_min", sa.Integer),
    sa.Column("fatalities_max", sa.Integer),
    sa.Column("merged_into", sa.String(32)),  # event_id of the event this one was merged into
    sa.Column("independent_sources", sa.Integer),  # sources, the outlets carrying one agency's copy counted once
    sa.Column("confirmed_by", sa.Text),  # the first source that is neither a claim nor the claimant's own
    sa.Column("source_notes", sa.Text),  # JSON list of {doc_id, source, note: claim|denial, by, text}
    sa.Column("fatality_figures", sa.Text),  # JSON list of {doc_id, source, fatalities}: the toll each source gave
    sa.Column("created", sa.String(32)),
    sa.Column("updated", sa.String(32)),
)

event_sources = sa.Table(
    "event_sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(32), nullable=False, index=True),  # the event it supports now
    sa.Column("origin_event_id", sa.String(32), nullable=False),  # the event it was extracted as
    sa.Column("doc_id", sa.String(200), nullable=False, index=True),
    sa.Column("evidence", sa.Text),  # JSON list of {start, end, text} into the document
    sa.Column("extracted", sa.Text),  # JSON of the Event as extracted from this document
    sa.Column("link_reason", sa.Text),  # JSON: why it was linked to the event (date gap, km, shared actors, types)
)

actors = sa.Table(
    "actors", metadata,
    sa.Column("name", sa.String(300), primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, index=True),  # canonical name without era
    sa.Column("inter", sa.Integer),
)

places = sa.Table(
    "places", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("country", sa.Text, nullable=False, server_default=""),
    sa.Column("admin1", sa.Text, nullable=False, server_default=""),
    sa.Column("admin2", sa.Text, nullable=False, server_default=""),
    sa.Column("location", sa.Text, nullable=False, server_default=""),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("geo_precision", sa.Integer),
    sa.UniqueConstraint("country", "admin1", "admin2", "location", name="uq_places"),
)

merges = sa.Table(
    "merges", metadata,
    sa.Column("merge_id", sa.String(40), primary_key=True),
    sa.Column("kept_event_id", sa.String(32), nullable=False, index=True),
    sa.Column("absorbed", sa.Text, nullable=False),  # JSON {absorbed event_id: [origin_event_ids of the sources moved]}
    sa.Column("before", sa.Text),  # JSON of the kept event before the merge
    sa.Column("user", sa.String(200)),
    sa.Column("automatic", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("score", sa.Float),
    sa.Column("reason", sa.Text),  # JSON: why an automatic merge was made
    sa.Column("created", sa.String(32)),
    sa.Column("undone", sa.String(32)),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(32), index=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("user", sa.String(200)),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
)

id_counters = sa.Table(
    "id_counters", metadata,
    sa.Column("prefix", sa.String(8), primary_key=True),
    sa.Column("next", sa.Integer, nullable=False),
)

EVENT_INDEXES = (
    ("ix_events_country_type_date", ("country", "event_type", "event_date")),
    ("ix_events_country_date", ("country", "event_date")),
    ("ix_events_type_date", ("event_type", "event_date")),
    ("ix_events_date", ("event_date",)),
    ("ix_events_country_day", ("country", "event_day")),
    ("ix_events_status", ("status",)),
)
# Partial indexes over the live events only (WHERE merged_into IS NULL, the condition of every read): the
# API's pages skip deep offsets and count common filters without reading table rows (migration 0007, which
# dropped the plain indexes on admin1 and the actor columns they replace).
LIVE_EVENT_INDEXES = (
    ("ix_events_live_date", ("event_date",)),
    ("ix_events_live_country_type_date", ("country", "event_type", "event_date")),
    ("ix_events_live_admin1_date", ("admin1", "event_date", "id", "fatalities")),
    ("ix_events_live_actor1_date", ("actor1", "event_date")),
    ("ix_events_live_actor2_date", ("actor2", "event_date")),
    ("ix_events_live_assoc_actor_1_date", ("assoc_actor_1", "event_date")),
    ("ix_events_live_assoc_actor_2_date", ("assoc_actor_2", "event_date")),
)

# --- alert subscriptions (migration 0006) ---------------------------------------------------------
subscriptions = sa.Table(
    "subscriptions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("actor", sa.Text),
    sa.Column("event_type", sa.Text),
    sa.Column("min_fatalities", sa.Integer),
    sa.Column("rules", sa.Text, nullable=False, server_default=""),  # comma-separated alert rules ("" = all)
    sa.Column("period", sa.String(8), nullable=False, server_default="month"),
    sa.Column("webhook_url", sa.Text),
    sa.Column("secret", sa.String(128)),  # the HMAC key of the webhook's signature
    sa.Column("created", sa.String(32), nullable=False),
)

subscription_alerts = sa.Table(
    "subscription_alerts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subscription_id", sa.Integer, nullable=False),
    sa.Column("alert_key", sa.String(64), nullable=False),  # which alert: rule, period, area, actor, metric
    sa.Column("alert", sa.Text, nullable=False),  # JSON of the alert as first found
    sa.Column("found", sa.String(32), nullable=False),
    # baseline (there when the subscription was made: neither posted nor in the feed), feed (no webhook),
    # pending (to post), delivered, failed (gave up after the rounds of attempts)
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("rounds", sa.Integer, nullable=False, server_default="0"),
    sa.Column("delivered", sa.String(32)),
    sa.UniqueConstraint("subscription_id", "alert_key", name="uq_subscription_alerts"),
)

deliveries = sa.Table(
    "deliveries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subscription_id", sa.Integer, nullable=False, index=True),
    sa.Column("alert_key", sa.String(64), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("seconds", sa.Float),
)
