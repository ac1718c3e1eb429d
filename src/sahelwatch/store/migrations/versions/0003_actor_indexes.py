"""Index events by actor1 and actor2: the actor filter first finds the matching names in the small
actors table, then reads the events of those names through these indexes (no scan of every event).

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_actor1", "events", ["actor1"])
    op.create_index("ix_events_actor2", "events", ["actor2"])


def downgrade() -> None:
    op.drop_index("ix_events_actor2", table_name="events")
    op.drop_index("ix_events_actor1", table_name="events")
