"""Drop the index on events.merged_into: nearly every row has it NULL, and SQLite's planner picked it
for "merged_into IS NULL" over far better indexes (a text search scanned every event).

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_events_merged_into", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_merged_into", "events", ["merged_into"])
