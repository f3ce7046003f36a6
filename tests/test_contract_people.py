"""One way to name a person everywhere (contract.people)."""
from contract.people import person_label


def test_a_person_is_named_first_then_their_id():
    assert person_label("H003", "Ana Ruiz") == "Ana Ruiz (H003)"


def test_a_person_without_a_known_name_is_their_id():
    assert person_label("H099", None) == "H099"
    assert person_label("H099", "") == "H099"
