"""Index events by their actor columns: the actor filter first finds the matching names in the small
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
    for col in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
        op.create_index(f"ix_events_{col}", "events", [col])


def downgrade() -> None:
    for col in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
        op.drop_index(f"ix_events_{col}", table_name="events")
