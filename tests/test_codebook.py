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
