import pytest

from sahelwatch import codebook


def test_six_event_types_and_25_sub_types():
    types = codebook.event_types()
    assert len(types) == 6
    assert sum(len(codebook.sub_event_types(t)) for t in types) == 25


@pytest.mark.parametrize("sub, typ", [("Air/drone strike", "Explosions/Remote violence"),
                                      ("Abduction/forced disappearance", "Violence against civilians"),
                                      ("Non-state actor overtakes territory", "Battles"),
                                      ("Excessive force against protesters", "Protests")])
def test_sub_type_belongs_to_its_type(sub, typ):
    assert codebook.event_type_of(sub) == typ


@pytest.mark.parametrize("a, b, expected", [(1, 2, 12), (2, 1, 12), (2, 7, 27), (6, None, 60), (3, 1, 13)])
def test_interaction_is_smaller_code_first(a, b, expected):
    assert codebook.interaction(a, b) == expected


def test_disorder_type_follows_type():
    assert codebook.disorder_type("Riots") == "Demonstrations"
    assert codebook.disorder_type("Battles") == "Political violence"
    with pytest.raises(ValueError):
        codebook.check("Battles", "Air/drone strike")


def test_a_group_overtaking_territory_takes_it_from_the_state_not_from_another_armed_mention():
    from sahelwatch.actors import ActorMention
    from sahelwatch.extract import sides

    # "insurgents have taken over Tessalit, sources on both the rebel and the military side said"
    taker = ActorMention(0, 10, "insurgents", "unidentified_armed")
    rebel = ActorMention(50, 55, "rebel", "unidentified_armed")
    s = sides.Sides([], [rebel], [taker], [(False, 0, [(taker, "other"), (rebel, "patient")])],
                    set(), lambda m: None, "Mali", [])
    a1, a2 = sides.choose(s, "Non-state actor overtakes territory")
    assert a1 is taker and a2 is None  # no state side named: the country's forces by default
