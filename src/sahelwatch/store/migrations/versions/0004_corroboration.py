"""Corroboration and explained links: each event's independent sources, the source that confirmed a claim,
notes of claims and denials, the toll each source gave; each automatic link's reasons (date gap, distance,
shared actors, types).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EVENT_COLUMNS = (("independent_sources", sa.Integer), ("confirmed_by", sa.Text), ("source_notes", sa.Text),
                 ("fatality_figures", sa.Text))


def upgrade() -> None:
    for name, kind in EVENT_COLUMNS:
        op.add_column("events", sa.Column(name, kind))
    op.add_column("event_sources", sa.Column("link_reason", sa.Text))
    op.add_column("merges", sa.Column("reason", sa.Text))
    op.execute("UPDATE events SET independent_sources = source_count WHERE independent_sources IS NULL")


def downgrade() -> None:
    op.drop_column("merges", "reason")
    op.drop_column("event_sources", "link_reason")
    for name, _ in reversed(EVENT_COLUMNS):
        op.drop_column("events", name)
