"""Document -> events: triggers, fatalities, dates, claims, and their assembly into events."""
