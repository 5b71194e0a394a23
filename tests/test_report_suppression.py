"""The national report hides every count of 1–4, and no such count can be worked back by
subtraction from what it shows: a total minus its other parts, the country minus the offices,
or a total minus a part (the complement: positions not filled, doctors not in a group)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.figures import (
    COMPLEMENTS,
    FIGURE_KEYS,
    HIDDEN_TOTAL,
    SUMS,
    SUPPRESSED,
    suppress_national,
)

ZERO = dict.fromkeys(FIGURE_KEYS, 0)


def _office(**figures) -> dict:
    return {**ZERO, **figures, "completions": figures.pop("completions", {})}


def _country(offices) -> dict:
    country = {key: sum(o[key] for o in offices) for key in FIGURE_KEYS}
    years = {y for o in offices for y in o["completions"]}
    country["completions"] = {y: sum(o["completions"].get(y, 0) for o in offices) for y in years}
    return country


def _shown(value) -> bool:
    return isinstance(value, int)


def test_one_doctor_with_a_veileder_cannot_be_worked_out_from_the_doctors_without():
    # The tester's case: Nord had 7 doctors, 6 without a veileder: "<5" with one was 7 − 6.
    nord = _office(
        doctors_active=7,
        doctors_without_veileder=6,
        doctors_with_veileder=1,
        doctors_new_scheme=7,
        completions={"ukjent": 7},
    )
    vest = _office(
        doctors_active=30,
        doctors_without_veileder=10,
        doctors_with_veileder=20,
        doctors_new_scheme=30,
        completions={"ukjent": 30},
    )
    (n, v), country = suppress_national([nord, vest], _country([nord, vest]))
    assert n["doctors_with_veileder"] == SUPPRESSED
    assert not (_shown(n["doctors_active"]) and _shown(n["doctors_without_veileder"]))
    # Nor through the country: 40 − 20 shown for Vest would give Nord's 1 back.
    assert not (_shown(country["doctors_with_veileder"]) and _shown(v["doctors_with_veileder"]))


def test_positions_in_the_old_scheme_cannot_be_worked_out_from_the_new():
    # Nord: 12 positions, 10 in the new scheme: the "<5" old ones were 12 − 10 = 2.
    nord = _office(
        positions_total=12,
        positions_new_scheme=10,
        positions_old_scheme=2,
        positions_salaried=12,
        positions_filled=6,
    )
    vest = _office(
        positions_total=40, positions_new_scheme=30, positions_old_scheme=10, positions_salaried=40
    )
    (n, _v), _country_shown = suppress_national([nord, vest], _country([nord, vest]))
    assert n["positions_old_scheme"] == SUPPRESSED
    assert not (_shown(n["positions_total"]) and _shown(n["positions_new_scheme"]))


def test_a_small_complement_hides_the_part():
    # 9 doctors, 7 in a group: "not in a group" is 2, a small count nobody may work out.
    vest = _office(
        doctors_active=9, doctors_new_scheme=9, doctors_in_group=7, doctors_without_veileder=9
    )
    nord = _office(
        doctors_active=20, doctors_new_scheme=20, doctors_in_group=10, doctors_without_veileder=20
    )
    (v, n), _country_shown = suppress_national([vest, nord], _country([vest, nord]))
    assert not (_shown(v["doctors_active"]) and _shown(v["doctors_in_group"]))
    assert n["doctors_in_group"] == 10 and n["doctors_active"] == 20  # nothing small there


def test_large_counts_are_shown_as_they_are():
    offices = [
        _office(
            positions_total=50,
            positions_new_scheme=30,
            positions_old_scheme=20,
            positions_salaried=25,
            positions_self_employed=25,
            positions_filled=40,
            doctors_active=60,
            doctors_new_scheme=60,
            doctors_with_veileder=50,
            doctors_without_veileder=10,
            doctors_in_group=30,
            doctors_with_plan=40,
            doctors_supervision_compliant=45,
            doctors_at_risk=15,
            completions={"2027": 30, "2028": 30},
        )
        for _ in range(3)
    ]
    shown, country = suppress_national(offices, _country(offices))
    assert shown[0] == offices[0]
    assert country["doctors_active"] == 180 and country["completions"] == {"2027": 90, "2028": 90}


def _by_subtraction(shown: list[dict], country: dict, truth: list[dict], true_country: dict):
    """Every small count an attacker gets from one sum with one unknown: what the tester did
    by hand. Independent of the report's own algebra."""
    rows = [*zip(shown, truth, strict=True), (country, true_country)]
    found = []

    def check(cells):  # [(shown, true)] of a total and its parts, total first
        hidden = [(s, t) for s, t in cells if not _shown(s)]
        if len(hidden) == 1 and 1 <= hidden[0][1] <= 4:
            found.append(cells)

    for s, t in rows:
        for total, parts in SUMS:
            if t[total] == sum(t[p] for p in parts):
                check([(s[total], t[total]), *((s[p], t[p]) for p in parts)])
        for total, part in COMPLEMENTS:
            complement = t[total] - t[part]
            check([(s[total], t[total]), (s[part], t[part]), (None, complement)])
    for key in FIGURE_KEYS:
        check([(country[key], true_country[key]), *((s[key], t[key]) for s, t in rows[:-1])])
    return found


count = st.integers(min_value=0, max_value=12)


@st.composite
def offices(draw):
    result = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        new, old = draw(count), draw(count)
        salaried = draw(st.integers(min_value=0, max_value=new + old))
        with_v, without_v = draw(count), draw(count)
        active = with_v + without_v
        in_group = draw(st.integers(min_value=0, max_value=active))
        result.append(
            _office(
                positions_total=new + old,
                positions_new_scheme=new,
                positions_old_scheme=old,
                positions_salaried=salaried,
                positions_self_employed=new + old - salaried,
                positions_filled=draw(st.integers(min_value=0, max_value=new + old)),
                doctors_active=active,
                doctors_new_scheme=active,
                doctors_with_veileder=with_v,
                doctors_without_veileder=without_v,
                doctors_in_group=in_group,
                completions={"ukjent": active},
            )
        )
    return result


@settings(max_examples=60, deadline=None)
@given(offices())
def test_no_small_count_comes_back_by_subtraction(table):
    true_country = _country(table)
    shown, country = suppress_national(table, true_country)
    assert _by_subtraction(shown, country, table, true_country) == []
    for office, truth in zip(shown, table, strict=True):
        for key in FIGURE_KEYS:
            assert office[key] in (truth[key], SUPPRESSED, HIDDEN_TOTAL)
            assert (office[key] == SUPPRESSED) == (1 <= truth[key] <= 4)


def test_four_hidden_counts_that_can_only_be_four_each_are_protected():
    # The re-tester's case: filled positions Nord 5 and four offices "<5" (4 each), country 21:
    # 21 − 5 = 16 over four counts of at most 4 gives each of them back.
    offices = [
        _office(positions_total=8, positions_filled=5, positions_new_scheme=8, positions_salaried=8)
    ] + [
        _office(positions_total=7, positions_filled=4, positions_new_scheme=7, positions_salaried=7)
        for _ in range(4)
    ]
    shown, country = suppress_national(offices, _country(offices))
    assert [o["positions_filled"] for o in shown[1:]] == [SUPPRESSED] * 4
    assert not (_shown(country["positions_filled"]) and _shown(shown[0]["positions_filled"]))


def test_three_offices_that_can_only_have_two_doctors_each_are_protected():
    # Nord 7, Vest 13, country 26: the other three have 6 together; each has "<5" with and
    # "<5" without a veileder, so at least 2 each: 2 each, one with and one without.
    def small():
        return _office(
            doctors_active=2,
            doctors_with_veileder=1,
            doctors_without_veileder=1,
            doctors_new_scheme=2,
            completions={"2029": 2},
        )

    offices = [
        _office(
            doctors_active=7,
            doctors_with_veileder=5,
            doctors_without_veileder=2,
            doctors_new_scheme=7,
            completions={"2029": 7},
        ),
        _office(
            doctors_active=13,
            doctors_with_veileder=8,
            doctors_without_veileder=5,
            doctors_new_scheme=13,
            completions={"2029": 13},
        ),
        small(),
        small(),
        small(),
    ]
    shown, country = suppress_national(offices, _country(offices))
    visible = [_shown(country["doctors_active"]), _shown(shown[0]["doctors_active"])]
    visible.append(_shown(shown[1]["doctors_active"]))
    assert not all(visible)  # 26 − 7 − 13 would leave 6 for three offices of at least 2
