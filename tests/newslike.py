"""News-like long reports, written for sahelwatch's tests and benchmarks (no copied article text).

``long_report(n_bytes, seed)`` strings paragraphs of invented sentences, the way a UN panel or a
rights group's report runs to hundreds of pages: section headings, incidents with places, days,
actors and tolls, and the analysis, humanitarian and political paragraphs around them. The same
seed always gives the same text. ``repeated_sentence(n)`` is the pathological input of issue 13.
Shared by tests/test_pipeline_long.py and bench/bench_long_reports.py.
"""
from __future__ import annotations

import random

TOWNS = [("Djibo", "Burkina Faso"), ("Arbinda", "Burkina Faso"), ("Dori", "Burkina Faso"), ("Fada N'Gourma", "Burkina Faso"),
         ("Kaya", "Burkina Faso"), ("Tillaberi", "Niger"), ("Ouallam", "Niger"), ("Tera", "Niger"), ("Diffa", "Niger"),
         ("Tahoua", "Niger"), ("Menaka", "Mali"), ("Gao", "Mali"), ("Mopti", "Mali"), ("Bandiagara", "Mali"),
         ("Timbuktu", "Mali"), ("Maiduguri", "Nigeria"), ("Monguno", "Nigeria"), ("Gwoza", "Nigeria"),
         ("Damboa", "Nigeria"), ("Bol", "Chad")]
DOERS = ["Gunmen on motorbikes", "Suspected jihadists", "Fighters of the Islamic State in the Sahel", "JNIM fighters",
         "Boko Haram insurgents", "Unidentified armed men", "Bandits", "Members of a local militia"]
VICTIMS = ["villagers", "civilians", "soldiers", "traders returning from the market", "gendarmes", "herders",
           "members of a volunteer defence unit", "worshippers leaving a mosque"]
DEEDS = ["attacked", "raided", "stormed", "ambushed a convoy near"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
        "early on Tuesday", "late on Friday", "overnight"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "15", "17", "21",
           "at least 30", "dozens of"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

INCIDENT = [
    "{doer} {deed} {town} {day}, killing {n} {victims}, local officials said.",
    "{n} {victims} were killed when {doer_l} {deed} {town} {day}, according to residents reached by telephone.",
    "On {date}, {doer_l} {deed} the outskirts of {town} and abducted {n} {victims}, witnesses said.",
    "The army said it had repelled an assault on its post at {town} {day}, and that {n} assailants were killed.",
    "A roadside bomb struck a military vehicle near {town} {day}, killing {n} soldiers, security sources said.",
    "An air strike on a market near {town} on {date} killed {n} people, a health worker told reporters.",
    "Residents of {town} said {doer_l} burned the granaries and drove off the cattle {day}.",
    "Security forces arrested {n} people in {town} after the attack, the governor said in a statement.",
]
FOLLOW = [
    "The toll could rise, as several of the wounded were in a serious condition.",
    "No group has claimed responsibility for the attack so far.",
    "Survivors said the attackers arrived at dawn and left before reinforcements came.",
    "The wounded were evacuated to the regional hospital by road.",
    "Many families fled towards the nearest town in the hours that followed.",
]
CONTEXT = [
    "The region has been the scene of repeated violence since armed groups spread south from the north of the country.",
    "Humanitarian agencies estimate that more than two million people have been displaced across the central Sahel.",
    "Schools in the area have been closed for two years, and many health centres no longer receive supplies.",
    "The authorities have recruited thousands of civilian volunteers to support the army, a policy critics say "
    "has fuelled reprisals between communities.",
    "Food prices in the markets of the region doubled over the year, as roads were cut and fields left untended.",
    "Diplomats describe a steady deterioration of security since the withdrawal of the international forces.",
    "The panel was unable to verify independently every account it received, and its figures are a minimum.",
    "Interviews were conducted with displaced people, local officials, traders, teachers and health workers.",
    "The government has rejected the findings of earlier reports, calling them one-sided.",
    "Negotiations between community leaders and the armed groups have produced local truces that rarely last.",
    "Aid convoys need armed escorts on most roads, and some towns are supplied only by air.",
    "The rainy season makes several districts unreachable for weeks at a time.",
]
QUOTE = [
    "\u201cWe buried them the same evening, there was no time for anything else,\u201d said a farmer who asked not to be named.",
    "\u201cThe soldiers came two days later, when everything was over,\u201d a teacher said.",
    "\u201cWe are living in fear; nobody goes to the fields any more,\u201d said a woman who had fled to the town.",
]
HEADINGS = ["Attacks on civilians", "Abductions and disappearances", "Operations of the defence and security forces",
            "Humanitarian consequences", "Displacement", "Recommendations", "Methodology", "Regional dynamics"]


def _sentence(rng: random.Random) -> str:
    town, _country = rng.choice(TOWNS)
    doer = rng.choice(DOERS)
    return rng.choice(INCIDENT).format(
        doer=doer, doer_l=doer[0].lower() + doer[1:] if not doer.startswith(("JNIM", "Boko")) else doer,
        deed=rng.choice(DEEDS), town=town, day=rng.choice(DAYS), n=rng.choice(NUMBERS), victims=rng.choice(VICTIMS),
        date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2023")


def _paragraph(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:  # an incident, told over a few sentences
        parts = [_sentence(rng)] + rng.sample(FOLLOW, rng.randint(1, 2))
        if rng.random() < 0.3:
            parts.append(rng.choice(QUOTE))
    else:  # the analysis around the incidents
        parts = rng.sample(CONTEXT, rng.randint(2, 4))
    return " ".join(parts)


def long_report(n_bytes: int, seed: int = 13) -> str:
    """About ``n_bytes`` of UTF-8 news-like text in paragraphs, with a headline and section headings."""
    rng = random.Random(seed)
    out = ["Violence against civilians in the central Sahel: findings of the panel",
           "BAMAKO, 14 November 2023 - " + _paragraph(rng)]
    size = sum(len(p.encode("utf-8")) + 2 for p in out)
    while size < n_bytes:
        p = rng.choice(HEADINGS) if rng.random() < 0.06 else _paragraph(rng)
        out.append(p)
        size += len(p.encode("utf-8")) + 2
    return "\n\n".join(out).encode("utf-8")[:n_bytes].decode("utf-8", "ignore")


REPEATED = "Gunmen killed five villagers in Djibo on Monday, residents said. "


def repeated_sentence(times: int = 20_000, sentence: str = REPEATED) -> str:
    """One sentence repeated ``times`` times, without a paragraph break (issue 13's pathological input)."""
    return sentence * times
