"""Alert subscriptions: a named filter with its alert rules and webhook, the alerts found for it (each
delivered once) and the log of every webhook delivery attempt.

Revision ID: 0006
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("country", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("actor", sa.Text),
        sa.Column("event_type", sa.Text),
        sa.Column("min_fatalities", sa.Integer),
        sa.Column("rules", sa.Text, nullable=False, server_default=""),
        sa.Column("period", sa.String(8), nullable=False, server_default="month"),
        sa.Column("webhook_url", sa.Text),
        sa.Column("secret", sa.String(128)),
        sa.Column("created", sa.String(32), nullable=False),
    )
    op.create_table(
        "subscription_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("alert_key", sa.String(64), nullable=False),
        sa.Column("alert", sa.Text, nullable=False),
        sa.Column("found", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rounds", sa.Integer, nullable=False, server_default="0"),
        sa.Column("delivered", sa.String(32)),
        sa.UniqueConstraint("subscription_id", "alert_key", name="uq_subscription_alerts"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("alert_key", sa.String(64), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("seconds", sa.Float),
    )
    op.create_index("ix_deliveries_subscription_id", "deliveries", ["subscription_id"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_subscription_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("subscription_alerts")
    op.drop_table("subscriptions")
