"""Who does what in a sentence: an actor mention is the doer (agent), the target (patient) or
neither, read from the words around it ("X attacked", "attacked by X", "X were killed")."""
from __future__ import annotations

import re

from sahelwatch.actors import ActorMention
from sahelwatch.extract import lang_fr

ARMED = {"named", "unidentified_armed", "militia"}

_AGENT_AFTER = re.compile(
    r"^[\s,)]*(?:(?:\([^)]{1,30}\)|who|which|that|had|have|has|also|reportedly|allegedly|then|on \w+|\w+ly|[\w'’-]+,?)\s+){0,3}"
    r"(?:attack|attacked|attacks|kill|killed|kills|raided|raid|ambushed|ambush|stormed|launched|mounted|carried out|"
    r"seized|took|taken|overran|opened fire|abducted|kidnapped|executed|targeted|struck|shot|burned|looted|"
    r"responded|fired|clashed|fought|massacred|summarily|bombed|shelled|detonated|planted|says it|said it|"
    r"regained|retook|recaptured|liberated|reclaimed|took back|killing|attacking|"
    r"claimed (?:the|responsibility|credit)|"
    r"claims? it|claimed it|claimed that|say they|said they|claimed responsibility|ont attaqué|a attaqué|ont tué|"
    r"attaquent|ont tendu|ont mené|a mené|arrived|herded|stormed|invaded|used|rode|riding)\b",
    re.I)
_PATIENT_AFTER = re.compile(
    r"^[\s,]*(?:\w+\s+){0,4}?(?:was|were|have been|has been|had been|are|is|being|got|ont été|a été|"
    r"fut|furent)\s+(?:\w+\s+)?(?:attacked|killed|ambushed|targeted|abducted|kidnapped|executed|massacred|"
    r"wounded|injured|taken|shot|slain|hit|tués?|attaqués?|enlevés?|blessés?|pris)\b|^\s*(?:dead|fell|died)\b",
    re.I)
_AGENT_BEFORE = re.compile(r"\b(?!(?:suffered|sustained|incurred|faced|endured|experienced|reported|announced|"
                           r"accompanied|backed|supported|assisted|joined|escorted|flanked|helped|reinforced|"
                           r"confirmed|released|published|provided|issued|obtained|seen|verified|condemned|"
                           r"denounced|welcomed)\b)"
                           r"(?:\w+(?:ed|en|wn|és?|ées?)|claimed|carried out|led|launched)\s+(?:out\s+|up\s+)?"
                           r"(?:(?:on|in|at|near|overnight)\s+[\w'’-]+\s+){0,2}"
                           r"(?:by|par)\s+(?:the |a |an |des |les |de |la |le |some |suspected |alleged |"
                           r"heavily armed |presumed |[\w'’-]+ )?$", re.I)
_PATIENT_BEFORE = re.compile(
    r"\b(?:attacks?|attacked|attacking|ambush(?:ed)?|kill(?:ed|ing|s)?|target(?:ed|ing)?|against|on|at|abduct(?:ed|ing)|"
    r"kidnap(?:ped|ping)|execut(?:ed|ing)|massacred|strikes? on|attaqu[ée]e?s?|contre|herded|separated|"
    r"summarily executed|\d+|dozens of|scores of|hundreds of|several|of)\s+(?:\w+\s+){0,3}$", re.I)
SAYS_IT_DID = re.compile(r"^[\s,)]*(?:\([^)]{1,30}\)\s*)?(?:\w+\s+){0,2}?(?:said|says|claimed|claims|announced|stated)"
                         r"(?:\s+(?:on|in|late|early)\s+\w+)?(?:\s+that)?\s+(?:it|they|its|their)\b(?!\s+(?:was|were|had been|"
                         r"has been|have been)\s+(?:attacked|killed|ambushed|hit))", re.I)
ACTIVE_VERB = re.compile(r"\b(killed|attacked|ambushed|raided|stormed|abducted|kidnapped|executed|massacred|shot|"
                         r"regained|retook|recaptured|liberated|"
                         r"seized|overran|burned|torched|looted|opened fire|launched|carried out|struck|bombed|shelled|"
                         r"detonated|ont tué|ont attaqué|ont enlevé)\b", re.I)
_NEUTRAL_AFTER = re.compile(r"^[\s,]*(?:\w+\s+){0,2}(?:said|says|told|reported|announced|confirmed|stated|"
                            r"spokesman|spokesperson|source|sources|statement|a déclaré|a annoncé|selon)\b"
                            r"(?!\s+(?:it|its|they|that it))",
                            re.I)


# "a security source blamed the Islamic State", "attributed the attack to JNIM", "claimed by"
BLAMED = re.compile(r"\b(blamed|blames|blaming|blame|attributed (?:it |the (?:attack|ambush|raid|killings?) )?to|"
                    r"pointed the finger at|held responsible|suspected|suspect)\s+(?:it\s+on\s+|the attack on\s+)?"
                    r"(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)


ATTACK_BY = re.compile(r"\b(attacks?|assaults?|raids?|ambush(es)?|offensive|incursions?|strikes?|killings?|"
                       r"abductions?|kidnappings?)\s+(carried out |launched |mounted )?by\s+(the\s+|suspected\s+)?"
                       r"([\w'’-]+\s+){0,1}$", re.I)


def role(text: str, m: ActorMention, start: int = 0, end: int | None = None) -> str:
    """agent, patient or other: what an actor mention does in its sentence (text[start:end])."""
    end = len(text) if end is None else end
    after = text[m.end:min(end, m.end + 70)]
    before = text[max(start, m.start - 60):m.start]
    if _AGENT_BEFORE.search(before) or BLAMED.search(before) or ATTACK_BY.search(before):
        return "agent"
    if SAYS_IT_DID.match(after):
        return "agent"  # "the army said on Monday it had killed ...", "JNIM says it has taken ..."
    if _NEUTRAL_AFTER.match(after) and m.category not in ARMED:
        return "other"
    french = lang_fr.role(before, after)  # French verbs the patterns here lack (extract/lang_fr.py)
    if french:
        return french
    if _PATIENT_AFTER.match(after):
        return "patient"
    if re.search(r"\b(targeting|targeted|against|attacks? on|raids? on|strikes? on|ambush(ed)? on)\s+(the |a |an |"
                 r"suspected |alleged )?$", before, re.I):
        return "patient"
    if _AGENT_AFTER.match(after):
        return "agent"
    if _PATIENT_BEFORE.search(before):
        return "patient"
    if re.match(r"^[\s-]*(?:attack|attacks|assault|raid|offensive|ambush|fighters|militants|insurgents)\b", after, re.I):
        return "agent"  # "a jihadist attack", "JNIM fighters"
    verb = ACTIVE_VERB.search(text[m.end:min(end, m.end + 160)])
    between = re.sub(r",[^,]{0,120},", " ", text[m.end:m.end + verb.start()]) if verb else ""
    if verb and len(between) < 90 and not re.search(r"\b(was|were|been|being|by|of|and its|who)\b", between) \
            and not re.search(r"\b(of|by|on|against)\s+(the\s+)?$", before):
        return "agent"  # "Malian troops and foreign personnel believed to be Russian killed ..."
    return "other"
