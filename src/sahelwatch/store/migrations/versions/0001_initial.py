"""Initial schema: documents, events, event_sources, actors, places, merges, audit, id counters.

SQLite: FTS5 over document text, R*Tree over event coordinates (kept in step by triggers).
PostgreSQL: PostGIS point column (generated from latitude/longitude) with GiST, tsvector with GIN.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    _documents()
    _events()
    _sources_names_and_review()
    if dialect == "sqlite":
        _sqlite_search()
    elif dialect == "postgresql":
        _postgres_search()


def _documents() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(200), nullable=False, unique=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("language", sa.String(16)),
        sa.Column("fetched", sa.String(32)),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_documents_url", "documents", ["url"])


def _events() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), nullable=False, unique=True),
        sa.Column("doc_id", sa.String(200)),
        sa.Column("event_date", sa.String(10)),
        sa.Column("event_day", sa.Integer),
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
        sa.Column("evidence", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.Column("salience", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False, server_default="unreviewed"),
        sa.Column("source_count", sa.Integer, nullable=False, server_default="1"),
        sa.Column("source_scale", sa.Text),
        sa.Column("fatalities_min", sa.Integer),
        sa.Column("fatalities_max", sa.Integer),
        sa.Column("merged_into", sa.String(32)),
        sa.Column("created", sa.String(32)),
        sa.Column("updated", sa.String(32)),
    )
    for name, cols in (
        ("ix_events_country_type_date", ["country", "event_type", "event_date"]),
        ("ix_events_country_date", ["country", "event_date"]),
        ("ix_events_type_date", ["event_type", "event_date"]),
        ("ix_events_date", ["event_date"]),
        ("ix_events_country_day", ["country", "event_day"]),
        ("ix_events_admin1", ["admin1"]),
        ("ix_events_merged_into", ["merged_into"]),
        ("ix_events_status", ["status"]),
    ):
        op.create_index(name, "events", cols)


def _sources_names_and_review() -> None:
    op.create_table(
        "event_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("origin_event_id", sa.String(32), nullable=False),
        sa.Column("doc_id", sa.String(200), nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("extracted", sa.Text),
    )
    op.create_index("ix_event_sources_event_id", "event_sources", ["event_id"])
    op.create_index("ix_event_sources_doc_id", "event_sources", ["doc_id"])
    op.create_table(
        "actors",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("inter", sa.Integer),
    )
    op.create_index("ix_actors_key", "actors", ["key"])
    op.create_table(
        "places",
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
    op.create_table(
        "merges",
        sa.Column("merge_id", sa.String(40), primary_key=True),
        sa.Column("kept_event_id", sa.String(32), nullable=False),
        sa.Column("absorbed", sa.Text, nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("user", sa.String(200)),
        sa.Column("automatic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("score", sa.Float),
        sa.Column("created", sa.String(32)),
        sa.Column("undone", sa.String(32)),
    )
    op.create_index("ix_merges_kept_event_id", "merges", ["kept_event_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("user", sa.String(200)),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    op.create_index("ix_audit_event_id", "audit", ["event_id"])
    op.create_table(
        "id_counters",
        sa.Column("prefix", sa.String(8), primary_key=True),
        sa.Column("next", sa.Integer, nullable=False),
    )



def _sqlite_search() -> None:
    """FTS5 over document text; an R*Tree over event coordinates, kept in step by triggers."""
    op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id')")
    op.execute("CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
               "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    op.execute("CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
               "VALUES ('delete', old.id, old.title, old.text); END")
    op.execute("CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
               "VALUES ('delete', old.id, old.title, old.text); "
               "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    op.execute("CREATE VIRTUAL TABLE events_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)")
    op.execute("CREATE TRIGGER events_rtree_ai AFTER INSERT ON events "
               "WHEN new.latitude IS NOT NULL AND new.longitude IS NOT NULL BEGIN "
               "INSERT INTO events_rtree VALUES (new.id, new.longitude, new.longitude, new.latitude, new.latitude); "
               "END")
    op.execute("CREATE TRIGGER events_rtree_au AFTER UPDATE OF latitude, longitude ON events BEGIN "
               "DELETE FROM events_rtree WHERE id = old.id; "
               "INSERT INTO events_rtree SELECT new.id, new.longitude, new.longitude, new.latitude, new.latitude "
               "WHERE new.latitude IS NOT NULL AND new.longitude IS NOT NULL; END")
    op.execute("CREATE TRIGGER events_rtree_ad AFTER DELETE ON events BEGIN "
               "DELETE FROM events_rtree WHERE id = old.id; END")


def _postgres_search() -> None:
    """A generated tsvector with GIN; a generated PostGIS point with GiST."""
    op.execute("ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
               "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED")
    op.execute("CREATE INDEX ix_documents_tsv ON documents USING GIN (tsv)")
    op.execute("ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
               "(CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL "
               "THEN ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END) STORED")
    op.execute("CREATE INDEX ix_events_geom ON events USING GIST (geom)")

def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trig in ("documents_ai", "documents_ad", "documents_au", "events_rtree_ai", "events_rtree_au",
                     "events_rtree_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {trig}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
        op.execute("DROP TABLE IF EXISTS events_rtree")
    for table in ("id_counters", "audit", "merges", "places", "actors", "event_sources", "events", "documents"):
        op.drop_table(table)
