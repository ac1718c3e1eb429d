"""Partial indexes over the live events (``merged_into IS NULL``, the rows every read shows) for the API's
read path: the newest-first list skips deep offsets inside an index without reading a table row; the
common country + type + period filter, a region's events (with or without a least death toll) and an
actor's events are counted from the index alone; a region's or an actor's newest events are read in date
order instead of sorted after a full fetch (the region's index carries the row id, so ties on the date
keep the page's order, and the toll, so "at least N killed" is checked in the index).

They replace the plain indexes on admin1 (0001) and on the actor columns (0003), which only the reads used:
every write keeps the index count as it was plus two.

Revision ID: 0007
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LIVE = (
    ("ix_events_live_date", ["event_date"]),
    ("ix_events_live_country_type_date", ["country", "event_type", "event_date"]),
    ("ix_events_live_admin1_date", ["admin1", "event_date", "id", "fatalities"]),
    ("ix_events_live_actor1_date", ["actor1", "event_date"]),
    ("ix_events_live_actor2_date", ["actor2", "event_date"]),
    ("ix_events_live_assoc_actor_1_date", ["assoc_actor_1", "event_date"]),
    ("ix_events_live_assoc_actor_2_date", ["assoc_actor_2", "event_date"]),
)


REPLACED = (("ix_events_admin1", ["admin1"]), ("ix_events_actor1", ["actor1"]), ("ix_events_actor2", ["actor2"]),
            ("ix_events_assoc_actor_1", ["assoc_actor_1"]), ("ix_events_assoc_actor_2", ["assoc_actor_2"]))


def upgrade() -> None:
    live = sa.text("merged_into IS NULL")
    for name, cols in LIVE:
        op.create_index(name, "events", cols, sqlite_where=live, postgresql_where=live)
    for name, _cols in REPLACED:
        op.drop_index(name, table_name="events")


def downgrade() -> None:
    for name, cols in REPLACED:
        op.create_index(name, "events", cols)
    for name, _cols in LIVE:
        op.drop_index(name, table_name="events")
