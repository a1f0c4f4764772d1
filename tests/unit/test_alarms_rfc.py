"""RFC 5545 §3.8.5.3 examples: our model gives the same occurrences as dateutil's rrulestr."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from tui.alarms import (
    PLATFORM_KEYS,
    SUB_DAILY,
    Alarm,
    Recurrence,
    RecurrenceError,
    parse_rrule,
)
from tui.alarms.model import SEARCH_YEARS

NY = ZoneInfo("America/New_York")

# (name, DTSTART local, RRULE text as in the RFC)
EXAMPLES = [
    ("daily 10", "19970902T090000", "FREQ=DAILY;COUNT=10"),
    ("daily until", "19970902T090000", "FREQ=DAILY;UNTIL=19971224T000000Z"),
    ("every other day", "19970902T090000", "FREQ=DAILY;INTERVAL=2"),
    ("every 10 days 5", "19970902T090000", "FREQ=DAILY;INTERVAL=10;COUNT=5"),
    (
        "january 3 years yearly",
        "19980101T090000",
        "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
    ),
    ("january 3 years daily", "19980101T090000", "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1"),
    ("weekly 10", "19970902T090000", "FREQ=WEEKLY;COUNT=10"),
    ("weekly until", "19970902T090000", "FREQ=WEEKLY;UNTIL=19971224T000000Z"),
    ("every other week", "19970902T090000", "FREQ=WEEKLY;INTERVAL=2;WKST=SU"),
    (
        "tue thu five weeks",
        "19970902T090000",
        "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
    ),
    ("tue thu 10", "19970902T090000", "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH"),
    (
        "every other week mon wed fri until",
        "19970901T090000",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;BYDAY=MO,WE,FR",
    ),
    ("every other week tue thu 8", "19970902T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,TH"),
    ("monthly first friday 10", "19970905T090000", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR"),
    (
        "monthly first friday until",
        "19970905T090000",
        "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
    ),
    (
        "every other month first and last sunday",
        "19970907T090000",
        "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
    ),
    ("second to last monday 6", "19970922T090000", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO"),
    ("third to last day", "19970928T090000", "FREQ=MONTHLY;BYMONTHDAY=-3"),
    ("2nd and 15th", "19970902T090000", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15"),
    ("first and last day", "19970930T090000", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1"),
    (
        "every 18 months 10th-15th",
        "19970910T090000",
        "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
    ),
    ("every tuesday every other month", "19970902T090000", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU"),
    ("june and july 10", "19970610T090000", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7"),
    (
        "every other year jan feb mar",
        "19970310T090000",
        "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
    ),
    ("20th monday of the year", "19970519T090000", "FREQ=YEARLY;BYDAY=20MO"),
    ("thursdays in march", "19970313T090000", "FREQ=YEARLY;BYMONTH=3;BYDAY=TH"),
    ("thursdays in summer", "19970605T090000", "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8"),
    # The RFC starts this one on 1997-09-02 and excludes that date; we start on the first match.
    ("friday the 13th", "19980213T090000", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13"),
    (
        "saturday after first sunday",
        "19970913T090000",
        "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
    ),
    (
        "us presidential election",
        "19961105T090000",
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
    ),
    ("third tue/wed/thu", "19970904T090000", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3"),
    (
        "second to last weekday",
        "19970929T090000",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
    ),
    ("wkst mo", "19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"),
    ("15th and 30th", "20070115T090000", "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5"),
]

LIMIT = 40


def _start(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%dT%H%M%S").replace(tzinfo=NY)


@pytest.mark.parametrize(("name", "dtstart", "text"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_rfc_example_matches_dateutil(name: str, dtstart: str, text: str) -> None:
    start = _start(dtstart)
    expected = list(rrulestr(text, dtstart=start).xafter(start, count=LIMIT, inc=True))
    # next_windows() looks SEARCH_YEARS ahead at most (the 4-yearly election rule reaches it).
    expected = [e for e in expected if e.year < start.year + SEARCH_YEARS]
    rule = parse_rrule(text)
    alarm = Alarm(
        start=start, end=start + timedelta(hours=1), timezone="America/New_York", recurrence=[rule]
    )
    assert alarm.validate() == []
    windows = alarm.next_windows(start - timedelta(seconds=1), LIMIT)
    assert [w.start for w in windows] == expected
    assert all(w.start.utcoffset() == e.utcoffset() for w, e in zip(windows, expected, strict=True))
    # Re-exporting and re-reading the rule gives the same occurrences again.
    again = parse_rrule(rule.to_rrule_text())
    assert again == rule


def test_rfc_example_through_json_round_trip() -> None:
    rule = parse_rrule("FREQ=MONTHLY;COUNT=10;BYDAY=1FR")
    assert rule.to_json() == {"frequency": "monthly", "byDays": ["1friday"], "count": 10}
    assert Recurrence.from_json(rule.to_json()) == rule


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", "BYHOUR cannot be"),
        ("FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "BYYEARDAY is not supported"),
        ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "BYWEEKNO is not supported"),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "WKST=SU changes this rule"),
        ("FREQ=WEEKLY;BYDAY=1MO", "only make sense in monthly or yearly rules"),
        ("FREQ=MONTHLY;BYDAY=54MO", "1 to 53 or -1 to -53"),
        ("FREQ=FORTNIGHTLY", "is not a frequency"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20261231", "not both (RFC 5545 forbids both)"),
        ("INTERVAL=2", "FREQ is required"),
        ("FREQ=WEEKLY;BYDAY=XX", "'XX' is not a weekday"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "out of range"),
        ("FREQ=WEEKLY;FOO=1", "Unknown or unsupported rule part(s): FOO"),
        ("FREQ=DAILY;UNTIL=2026-12-31", "is not a date (YYYYMMDD)"),
    ],
)
def test_inexpressible_rrule_text_gives_a_sentence(text: str, fragment: str) -> None:
    with pytest.raises(RecurrenceError) as err:
        parse_rrule(text)
    assert fragment in str(err.value)
    assert str(err.value).endswith(".") or str(err.value).endswith(")")


# RFC 5545 §3.8.5.3 examples that use only FREQ, INTERVAL, COUNT, UNTIL and BYDAY, with the dates
# the RFC lists (DTSTART;TZID=America/New_York, 09:00 unless the example says otherwise).
# "Every 3 hours from 9:00 AM to 5:00 PM" is left out: its UNTIL=19970902T170000Z is 13:00 EDT,
# so the RFC's third date (15:00) contradicts its own rule (a known erratum).
RFC_DATES = [
    ("19970902T090000", "FREQ=DAILY;COUNT=10", [f"199709{d:02}" for d in range(2, 12)]),
    (
        "19970902T090000",
        "FREQ=DAILY;INTERVAL=10;COUNT=5",
        ["19970902", "19970912", "19970922", "19971002", "19971012"],
    ),
    (
        "19970902T090000",
        "FREQ=DAILY;UNTIL=19971224T000000Z",
        [f"199709{d:02}" for d in range(2, 31)]
        + [f"199710{d:02}" for d in range(1, 32)]
        + [f"199711{d:02}" for d in range(1, 31)]
        + [f"199712{d:02}" for d in range(1, 24)],
    ),
    (
        "19970902T090000",
        "FREQ=WEEKLY;COUNT=10",
        ["19970902", "19970909", "19970916", "19970923", "19970930"]
        + ["19971007", "19971014", "19971021", "19971028", "19971104"],
    ),
    (
        "19970902T090000",
        "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
        ["19970902", "19970904", "19970909", "19970911", "19970916"]
        + ["19970918", "19970923", "19970925", "19970930", "19971002"],
    ),
    (
        "19970901T090000",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
        ["19970901", "19970903", "19970905", "19970915", "19970917", "19970919", "19970929"]
        + ["19971001", "19971003", "19971013", "19971015", "19971017", "19971027", "19971029"]
        + ["19971031", "19971110", "19971112", "19971114", "19971124", "19971126", "19971128"]
        + ["19971208", "19971210", "19971212", "19971222"],
    ),
    (
        "19970902T090000",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
        ["19970902", "19970904", "19970916", "19970918", "19970930", "19971002"]
        + ["19971014", "19971016"],
    ),
    (
        "19970905T090000",
        "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
        ["19970905", "19971003", "19971107", "19971205", "19980102", "19980206"]
        + ["19980306", "19980403", "19980501", "19980605"],
    ),
    (
        "19970905T090000",
        "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
        ["19970905", "19971003", "19971107", "19971205"],
    ),
    (
        "19970907T090000",
        "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
        ["19970907", "19970928", "19971102", "19971130", "19980104", "19980125"]
        + ["19980301", "19980329", "19980503", "19980531"],
    ),
    (
        "19970922T090000",
        "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
        ["19970922", "19971020", "19971117", "19971222", "19980119", "19980216"],
    ),
    ("19970519T090000", "FREQ=YEARLY;BYDAY=20MO", ["19970519", "19980518", "19990517"]),
    (
        "19970902T090000",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
        ["19970902", "19970909", "19970916", "19970923", "19970930"]
        + ["19971104", "19971111", "19971118", "19971125"]
        + ["19980106", "19980113", "19980120", "19980127"],
    ),
    (
        "19970805T090000",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
        ["19970805", "19970810", "19970819", "19970824"],
    ),
    (
        "19970902T090000",
        "FREQ=MINUTELY;INTERVAL=15;COUNT=6",
        ["19970902T0900", "19970902T0915", "19970902T0930"]
        + ["19970902T0945", "19970902T1000", "19970902T1015"],
    ),
    (
        "19970902T090000",
        "FREQ=MINUTELY;INTERVAL=90;COUNT=4",
        ["19970902T0900", "19970902T1030", "19970902T1200", "19970902T1330"],
    ),
]


def _rfc_date(text: str, start: datetime) -> datetime:
    if "T" in text:
        return datetime.strptime(text, "%Y%m%dT%H%M").replace(tzinfo=NY)
    return datetime.strptime(text, "%Y%m%d").replace(hour=start.hour, tzinfo=NY)


@pytest.mark.parametrize(("dtstart", "text", "dates"), RFC_DATES, ids=[e[1] for e in RFC_DATES])
def test_rfc_examples_written_in_the_platform_form_give_the_rfc_dates(
    dtstart: str, text: str, dates: list[str]
) -> None:
    start = _start(dtstart)
    rule = parse_rrule(text)
    written = rule.to_json()
    assert set(written) <= set(PLATFORM_KEYS), written
    again = Recurrence.from_json(json.loads(json.dumps(written)))
    step = SUB_DAILY.get(again.frequency)
    span = timedelta(minutes=10) if step else timedelta(hours=1)
    alarm = Alarm(start=start, end=start + span, timezone="America/New_York", recurrence=[again])
    assert alarm.validate() == []
    expected = [_rfc_date(d, start) for d in dates]
    windows = alarm.next_windows(start - timedelta(seconds=1), len(expected) + 1)
    if again.count is not None or again.until is not None:
        assert len(windows) == len(expected)  # and no more
    got = [(w.start.replace(tzinfo=None), w.start.utcoffset()) for w in windows[: len(expected)]]
    assert got == [(e.replace(tzinfo=None), e.utcoffset()) for e in expected]
