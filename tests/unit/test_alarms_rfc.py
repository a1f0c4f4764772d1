"""RFC 5545 §3.8.5.3 examples: our model gives the same occurrences as dateutil's rrulestr."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from tui.alarms import DAY_NAMES, Alarm, Recurrence, RecurrenceError
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
    rule = Recurrence.from_rrule_text(text)
    alarm = Alarm(
        start=start, end=start + timedelta(hours=1), timezone="America/New_York", recurrence=[rule]
    )
    if rule.frequency == "weekly" and not rule.by_days:
        # We ask for an explicit day where RFC 5545 defaults to DTSTART's weekday.
        assert [p.message for p in alarm.validate()] == [
            "Pick at least one weekday for a weekly rule."
        ]
        rule.by_days = [DAY_NAMES[start.weekday()]]
    assert alarm.validate() == []
    windows = alarm.next_windows(start - timedelta(seconds=1), LIMIT)
    assert [w.start for w in windows] == expected
    assert all(w.start.utcoffset() == e.utcoffset() for w, e in zip(windows, expected, strict=True))
    # Re-exporting and re-reading the rule gives the same occurrences again.
    again = Recurrence.from_rrule_text(rule.to_rrule_text())
    assert again == rule


def test_rfc_example_through_json_round_trip() -> None:
    rule = Recurrence.from_rrule_text("FREQ=MONTHLY;COUNT=10;BYDAY=1FR")
    assert rule.to_json() == {
        "frequency": "monthly",
        "byDays": ["friday"],
        "bySetPosition": [1],
        "count": 10,
    }
    assert Recurrence.from_json(rule.to_json()) == rule


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z", "FREQ=HOURLY cannot be expressed"),
        ("FREQ=MINUTELY;INTERVAL=15;COUNT=6", "FREQ=MINUTELY cannot be expressed"),
        ("FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", "BYHOUR cannot be"),
        ("FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "BYYEARDAY is not supported"),
        ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "BYWEEKNO is not supported"),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "WKST=SU changes this rule"),
        ("FREQ=MONTHLY;BYDAY=1MO,2FR", "different weekdays"),
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
        Recurrence.from_rrule_text(text)
    assert fragment in str(err.value)
    assert str(err.value).endswith(".") or str(err.value).endswith(")")
