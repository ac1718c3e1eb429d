"""Events as columns: the numpy arrays every aggregation and alert rule works on.

Building the frame is the only step that touches each event in Python; everything after it is
numpy group-bys over integer codes, so a million events cost seconds, not minutes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

PERIODS = ("week", "month")
LEVELS = ("country", "admin1", "admin2")
BY_CHOICES = ("country", "admin1", "admin2", "actor", "event_type")

# Actor names that are victims or crowds, not armed actors: never "expanding" into an area.
NON_ARMED_PREFIXES = ("Civilians", "Protesters", "Rioters")
NON_ARMED_INTER = (5, 6, 7)
STATE_PREFIXES = ("Military Forces of", "Police Forces of")
TRUE_VALUES = frozenset({True, "1", "true", "True", "TRUE", "yes", "Civilian targeting"})
AIR_DRONE_STRIKE = "Air/drone strike"


class FrameError(ValueError):
    """An event that cannot be read (names the event by its position and id)."""


@dataclass
class Codes:
    """A categorical column: integer codes into a list of labels."""

    codes: np.ndarray  # int32, one per row
    labels: list[str]

    def take(self, mask_or_index: np.ndarray) -> Codes:
        return Codes(self.codes[mask_or_index], self.labels)


@dataclass
class EventFrame:
    """Columns of the events that count (rejected events are left out at construction)."""

    day: np.ndarray  # int64 days since 1970-01-01
    fatalities: np.ndarray  # int64, >= 0
    civilian: np.ndarray  # bool: civilian_targeting, or actor2 is Civilians
    state_on_civilians: np.ndarray  # bool: state forces (inter 1 / Military or Police Forces of) on civilians
    air_strike: np.ndarray  # bool: sub_event_type is Air/drone strike
    country: Codes
    admin1: Codes  # labels are admin1 names; areas are identified together with the country
    admin2: Codes
    event_type: Codes
    actor1: Codes  # actor1, actor2 and assoc share one label list (actor_labels)
    actor2: Codes
    assoc_event: np.ndarray  # row index of each associated actor
    assoc_actor: np.ndarray  # actor code of each associated actor
    actor_labels: list[str]
    armed_actor: np.ndarray  # bool per actor label: may count as "active in an area"

    def __len__(self) -> int:
        return int(self.day.shape[0])

    # ----- construction -------------------------------------------------------------------

    @classmethod
    def from_records(cls, events: Iterable[Mapping[str, Any]]) -> EventFrame:
        """Columns from event dicts (sahelwatch.model.Event fields); status "rejected" is dropped."""
        rows = [e for e in events if e.get("status") != "rejected"]
        names = ("event_date", "country", "admin1", "admin2", "actor1", "actor2", "assoc_actor_1",
                 "assoc_actor_2", "event_type", "sub_event_type", "fatalities", "civilian_targeting",
                 "inter1", "inter2", "event_id")
        columns = {name: [e.get(name) for e in rows] for name in names}
        return cls.from_columns(columns)

    @classmethod
    def from_arrow(cls, table: Any) -> EventFrame:
        """Columns from a pyarrow Table with Event field names (a "status" column is honoured)."""
        import pyarrow.compute as pc

        if "status" in table.column_names:
            keep = pc.fill_null(pc.not_equal(table["status"], "rejected"), True)
            table = table.filter(keep)
        columns = {name: table[name].to_pylist() for name in table.column_names}
        return cls.from_columns(columns)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence[Any]]) -> EventFrame:
        """Columns from a mapping of field name to a sequence of values (one per event)."""
        n = len(columns["event_date"])

        def col(name: str) -> Sequence[Any]:
            values = columns.get(name)
            return values if values is not None else [None] * n

        day = _days(col("event_date"), col("event_id"))
        fatalities = _ints(col("fatalities"))
        inter1, inter2 = _ints(col("inter1")), _ints(col("inter2"))
        civ_flag = np.fromiter((v in TRUE_VALUES for v in col("civilian_targeting")), dtype=bool, count=n)

        country = _encode(col("country"))
        admin1 = _encode(col("admin1"))
        admin2 = _encode(col("admin2"))
        event_type = _encode(col("event_type"))
        sub = _encode(col("sub_event_type"))

        # One vocabulary for all actor columns, so an actor is the same code wherever it appears.
        a1, a2 = list(col("actor1")), list(col("actor2"))
        assoc_event, assoc_names = _associated(col("assoc_actor_1"), col("assoc_actor_2"))
        actors = _encode(a1 + a2 + assoc_names)
        actor1 = Codes(actors.codes[:n], actors.labels)
        actor2 = Codes(actors.codes[n:2 * n], actors.labels)
        assoc_actor = actors.codes[2 * n:]

        labels = np.array(actors.labels, dtype=object)
        civ_label = np.fromiter((s.startswith("Civilians") for s in labels), dtype=bool, count=len(labels))
        state_label = np.fromiter((s.startswith(STATE_PREFIXES) for s in labels), dtype=bool, count=len(labels))
        armed = np.fromiter((bool(s) and not s.startswith(NON_ARMED_PREFIXES) for s in labels), dtype=bool,
                            count=len(labels))

        victims = civ_label[actor2.codes] | (inter2 == 7)
        civilian = civ_flag | victims
        state = (inter1 == 1) | state_label[actor1.codes]
        air = np.zeros(n, dtype=bool)
        if AIR_DRONE_STRIKE in sub.labels:
            air = sub.codes == sub.labels.index(AIR_DRONE_STRIKE)

        keep = day != _NO_DATE
        frame = cls(
            day=day, fatalities=fatalities, civilian=civilian, state_on_civilians=state & civilian,
            air_strike=air, country=country, admin1=admin1, admin2=admin2, event_type=event_type,
            actor1=actor1, actor2=actor2,
            assoc_event=np.asarray(assoc_event, dtype=np.int64), assoc_actor=assoc_actor,
            actor_labels=actors.labels, armed_actor=armed,
        )
        # The inter codes only matter at construction, except that non-armed actors by code are marked.
        for codes, inter in ((actor1.codes, inter1), (actor2.codes, inter2)):
            crowd = np.isin(inter, NON_ARMED_INTER)
            if crowd.any():
                frame.armed_actor[np.unique(codes[crowd])] = False
        return frame if keep.all() else frame.select(keep)

    def select(self, mask: np.ndarray) -> EventFrame:
        """The events where ``mask`` is true (associated actors follow their events)."""
        index = np.flatnonzero(mask)
        remap = np.full(len(self), -1, dtype=np.int64)
        remap[index] = np.arange(index.size)
        keep_assoc = remap[self.assoc_event] >= 0 if self.assoc_event.size else np.zeros(0, dtype=bool)
        return EventFrame(
            day=self.day[index], fatalities=self.fatalities[index], civilian=self.civilian[index],
            state_on_civilians=self.state_on_civilians[index], air_strike=self.air_strike[index],
            country=self.country.take(index), admin1=self.admin1.take(index), admin2=self.admin2.take(index),
            event_type=self.event_type.take(index), actor1=self.actor1.take(index),
            actor2=self.actor2.take(index), assoc_event=remap[self.assoc_event[keep_assoc]],
            assoc_actor=self.assoc_actor[keep_assoc], actor_labels=self.actor_labels,
            armed_actor=self.armed_actor,
        )

    def where(self, **names: str) -> EventFrame:
        """The events whose country/admin1/admin2/event_type equal the given names."""
        mask = np.ones(len(self), dtype=bool)
        for field_name, value in names.items():
            column: Codes = getattr(self, field_name)
            code = column.labels.index(value) if value in column.labels else -1
            mask &= column.codes == code
        return self.select(mask)

    # ----- derived keys -------------------------------------------------------------------

    def area_keys(self, level: str) -> tuple[np.ndarray, list[tuple[str, str, str]]]:
        """Per event, the code of its area at ``level``, and per code (country, admin1, admin2).

        Areas are country-qualified: an admin1 is (country, admin1), an admin2 adds the admin2.
        Events not known to that level (an empty name) get code -1.
        """
        parts = [self.country, self.admin1, self.admin2][: LEVELS.index(level) + 1]
        combined = np.zeros(len(self), dtype=np.int64)
        for part in parts:
            combined = combined * (len(part.labels) + 1) + part.codes
        uniq, inverse = np.unique(combined, return_inverse=True)
        first = np.zeros(uniq.size, dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(self))[::-1]
        names = []
        for row in first:
            values = [p.labels[p.codes[row]] for p in parts]
            names.append(tuple(values + [""] * (3 - len(values))))
        codes = inverse.astype(np.int64)
        empty = np.array([not all(name[: len(parts)]) for name in names], dtype=bool)
        if empty.any():
            codes = np.where(empty[codes], -1, codes)
        return codes, names  # type: ignore[return-value]

    def actor_rows(self, armed_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(event row, actor code) for every actor taking part in an event: actor1, actor2, associates."""
        n = len(self)
        a1, a2 = self.actor1.codes.astype(np.int64), self.actor2.codes.astype(np.int64)
        ev, assoc = self.assoc_event, self.assoc_actor.astype(np.int64)
        # An actor named twice in one event (actor1 and an associate, say) takes part once.
        keep2 = a2 != a1
        keep_assoc = (assoc != a1[ev]) & (assoc != a2[ev]) if ev.size else np.zeros(0, dtype=bool)
        ev, assoc = ev[keep_assoc], assoc[keep_assoc]
        if ev.size:
            width = len(self.actor_labels) + 1
            pair = np.unique(ev * width + assoc)
            ev, assoc = pair // width, pair % width
        rows = np.concatenate([np.arange(n), np.flatnonzero(keep2), ev])
        actors = np.concatenate([a1, a2[keep2], assoc])
        empty = self.actor_labels.index("") if "" in self.actor_labels else -1
        keep = actors != empty
        if armed_only:
            keep &= self.armed_actor[actors]
        return rows[keep], actors[keep]


# ----- periods --------------------------------------------------------------------------------

_NO_DATE = np.iinfo(np.int64).min


def period_index(day: np.ndarray, period: str) -> np.ndarray:
    """Integer period of each day: Monday-start weeks, or calendar months."""
    if period == "week":
        return (day + 3) // 7  # 1970-01-01 was a Thursday; week k starts on day 7k - 3
    if period == "month":
        return day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    raise ValueError(f"unknown period {period!r} (want one of {', '.join(PERIODS)})")


def period_bounds(index: int, period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period."""
    if period == "week":
        start = dt.date(1970, 1, 1) + dt.timedelta(days=7 * int(index) - 3)
        return start, start + dt.timedelta(days=6)
    month = np.datetime64(int(index), "M")
    start = month.astype("datetime64[D]").astype(dt.date)
    end = ((month + 1).astype("datetime64[D]") - 1).astype(dt.date)
    return start, end


def period_label(index: int, period: str) -> str:
    """"2024-W10" for a week (ISO week of its Monday), "2024-03" for a month."""
    start, _ = period_bounds(index, period)
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m")


# ----- column parsing -------------------------------------------------------------------------


def _encode(values: Sequence[Any]) -> Codes:
    """Dictionary-encode a column of strings (None is the empty label) with pyarrow."""
    import pyarrow as pa

    try:
        arr = pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or other objects among the strings
        arr = pa.array([v if isinstance(v, str) else ("" if v is None else str(v)) for v in values], type=pa.string())
    if arr.null_count:
        arr = arr.fill_null("")
    enc = arr.dictionary_encode()
    codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    labels = [str(s) for s in enc.dictionary.to_pylist()]
    if not labels:
        labels = [""]
    return Codes(codes, labels)


def _ints(values: Sequence[Any]) -> np.ndarray:
    """Non-negative integers; None, blanks and junk become 0."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        arr = np.array([_to_float(v) for v in values], dtype=float)
    arr = np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(arr, 0, None).astype(np.int64)


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _days(values: Sequence[Any], ids: Sequence[Any]) -> np.ndarray:
    """Days since 1970-01-01 from ISO dates; a missing date is _NO_DATE (the event is left out)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pc.utf8_slice_codeunits(pa.array(values, type=pa.string()), 0, 10)
        arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
        dates = pc.cast(arr, pa.date32())
        days = np.asarray(dates.cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
        nulls = np.asarray(dates.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        return np.where(nulls, _NO_DATE, days)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass  # dates as date objects (a database row), or a bad value to find below
    try:
        dates = pa.array(values)
        if pa.types.is_date(dates.type) or pa.types.is_timestamp(dates.type):
            dates = dates.cast(pa.date32())
            days = np.asarray(dates.cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
            return np.where(np.asarray(dates.is_null().to_numpy(zero_copy_only=False), dtype=bool), _NO_DATE, days)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    texts = [v[:10] if isinstance(v, str) and v else ("NaT" if not v else str(v)[:10]) for v in values]
    try:
        days = np.array(texts, dtype="datetime64[D]").astype(np.int64)
    except ValueError:
        for i, text in enumerate(texts):
            try:
                np.datetime64(text, "D")
            except ValueError:
                label = f"event {ids[i]!r}" if ids[i] else f"event #{i + 1}"
                raise FrameError(f"{label}: event_date {values[i]!r} is not an ISO date (YYYY-MM-DD)") from None
        raise
    return np.where(days == np.iinfo(np.int64).min, _NO_DATE, days)


def _associated(*columns: Sequence[Any]) -> tuple[list[int], list[str]]:
    """(event index, name) of each associated actor in the ';'-separated columns."""
    events: list[int] = []
    names: list[str] = []
    for column in columns:
        for i, value in enumerate(column):
            for part in str(value or "").split(";"):
                if part.strip():
                    events.append(i)
                    names.append(part.strip())
    return events, names
