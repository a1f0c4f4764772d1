"""A mutable, form-friendly view of one alarm for the editor."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from .model import Alarm, Window
from .recurrence import DAY_NAMES, FREQUENCIES, SUB_DAILY, Recurrence, day_entry
from .rrule_text import parse_rrule
from .validation import AlarmProblem, rate_problems, repeat_problems, rule_problems
from .zones import localize, timezone_message, zone_or_none

REPEATING = FREQUENCIES
FREQUENCY_CHOICES = ("none", *FREQUENCIES, "custom")
NTH_CHOICES = (1, 2, 3, 4, -1, -2)
"""first, second, third, fourth, last, second to last (of a month)."""
YEAR_NTH_CHOICES = (*range(1, 53), -1, -2)
"""A yearly rule without months counts its numbered weekday in the whole year (RFC 5545,
and the platform's form has no months): first to 52nd, last, second to last."""
END_OF_DAY = time(23, 59, 59)
"""An end date typed in the editor means the whole of that local day (``until`` is
inclusive)."""
_RULE_FIELDS = {
    "frequency",
    "interval",
    "weekdays",
    "monthly_mode",
    "month_day",
    "nth",
    "nth_weekday",
    "months",
    "ends",
    "until",
    "count",
}


@dataclass
class AlarmDraft:
    """Simple fields an editor binds to; ``to_alarm()`` turns them back into an :class:`Alarm`.

    ``frequency`` "custom" means the first rule does not fit these fields (e.g. BYSETPOS with
    several weekdays): it is kept in ``custom_rule`` and edited as RRULE text. Only the first rule
    is edited; further rules stay in ``other_rules``. Unknown JSON keys survive in ``extra``
    (alarm level) and ``rule_extra`` (first rule)."""

    first_date: date = field(default_factory=lambda: date(2026, 1, 5))
    start_time: time = time(9, 0)
    end_time: time = time(18, 0)
    # None: the window ends the same day, or the next day when end_time < start_time.
    # n: the window ends n days after it starts (windows longer than a day).
    end_day_offset: int | None = None
    timezone: str = "UTC"
    frequency: str = "weekly"
    interval: int = 1
    weekdays: set[int] = field(default_factory=lambda: {0, 1, 2, 3, 4})
    monthly_mode: str = "day"  # "day": month_day; "nth": nth nth_weekday ("first Monday")
    # The "on" fields of monthly and yearly rules. Left None they are the first window's own
    # (its day of the month, its numbered weekday) and follow it when first_date changes
    # (set_field), until a rule or the operator gives them a value of their own.
    month_day: int | None = None
    nth: int | None = None  # one of nth_choices(): 1..4, -1 (last), -2; 1..52 in a year
    nth_weekday: int | None = None  # 0 = Monday … 6 = Sunday
    # Yearly: the months. Empty: the first window's month (same day) or the whole year, in
    # which a numbered weekday is then counted (nth weekday).
    months: set[int] = field(default_factory=set)
    ends: str = "never"  # "never" | "until" | "count"
    until: date | None = None
    count: int | None = None
    rate: Any = 10
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    rule_extra: dict[str, Any] = field(default_factory=dict)
    other_rules: list[Recurrence] = field(default_factory=list)
    custom_rule: Recurrence | None = None
    base: Alarm | None = field(default=None, repr=False, compare=False)
    base_rule: Recurrence | None = field(default=None, repr=False, compare=False)
    month_day_chosen: bool = field(default=False, init=False, repr=False, compare=False)
    nth_chosen: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.month_day_chosen = self.month_day is not None
        self.nth_chosen = self.nth is not None or self.nth_weekday is not None
        self.follow_first_date()

    def follow_first_date(self) -> None:
        """The "on" fields nobody chose say the first window's day: "same day" is its day of
        the month (written without ``byMonthDays``: the platform repeats a monthly rule on the
        start's day), "nth weekday" its own numbered weekday (the 23rd, a Monday, is the
        fourth Monday), so picking monthly never moves the windows off the first one."""
        if not self.month_day_chosen:
            self.month_day = self.first_date.day
        own = nth_weekday_of(self.first_date, in_year=self.nth_counts_in_year)
        if not self.nth_chosen:
            self.nth, self.nth_weekday = own
        else:  # one of the pair chosen: the other is the first window's
            nth, weekday = own
            self.nth = nth if self.nth is None else self.nth
            self.nth_weekday = weekday if self.nth_weekday is None else self.nth_weekday

    @property
    def nth_counts_in_year(self) -> bool:
        """Whether the numbered weekday counts in the whole year (yearly, no months) rather
        than in each month: "1monday" is then the first Monday of the year."""
        return self.frequency == "yearly" and not self.months

    def nth_choices(self) -> tuple[int, ...]:
        """The numbered weekdays the editor offers for this rule."""
        return YEAR_NTH_CHOICES if self.nth_counts_in_year else NTH_CHOICES

    def set_field(self, name: str, value: Any) -> None:
        """Set a field as the operator does: a new first date carries the "on" fields nobody
        chose along; a month day or numbered weekday set here is the operator's choice.
        A new frequency or months can change what the number counts in (the year or each
        month): one nobody chose follows, and a chosen one the new count cannot have (a
        20th Monday in May) goes back to the first window's own."""
        setattr(self, name, value)
        if name in ("frequency", "months"):
            if self.nth not in self.nth_choices():
                self.nth_chosen = False
                self.nth = self.nth_weekday = None
            self.follow_first_date()
        if name == "first_date":
            self.follow_first_date()
        elif name == "month_day":
            self.month_day_chosen = True
        elif name in ("nth", "nth_weekday"):
            self.nth_chosen = True

    # --- conversion ---------------------------------------------------------------------------

    @classmethod
    def from_alarm(cls, alarm: Alarm) -> AlarmDraft:
        """Load an alarm (best effort for invalid ones: unparseable parts take defaults)."""
        d = cls(
            timezone=alarm.timezone if isinstance(alarm.timezone, str) else "",
            rate=alarm.uplink_rate_min_per_hour,
            message=alarm.message or "",
            extra=dict(alarm.extra),
            base=alarm,
            frequency="none",
        )
        zone = zone_or_none(alarm.timezone) or UTC
        if alarm.start is not None:
            start = alarm.start.astimezone(zone) if alarm.start.tzinfo else alarm.start
            d.first_date, d.start_time = start.date(), start.time().replace(tzinfo=None)
            if alarm.end is not None:
                end = alarm.end.astimezone(zone) if alarm.end.tzinfo else alarm.end
                d.end_time = end.time().replace(tzinfo=None)
                days = (end.replace(tzinfo=None).date() - start.replace(tzinfo=None).date()).days
                if days != (1 if d.end_time < d.start_time else 0):
                    d.end_day_offset = days
        rules = (
            [r for r in alarm.recurrence if isinstance(r, Recurrence)]
            if isinstance(alarm.recurrence, list)
            else []
        )
        d.follow_first_date()
        if rules:
            d.load_rule(rules[0])
            d.other_rules = rules[1:]
        return d

    def load_rule(self, rule: Recurrence) -> None:
        """Set the recurrence fields from a rule; unfit rules become ``custom``."""
        self.rule_extra = dict(rule.extra)
        self.custom_rule = None
        self.base_rule = rule
        self.month_day_chosen = self.nth_chosen = False  # the rule says them, or nobody does
        self.follow_first_date()
        if not self._load_simple(rule):
            self.frequency = "custom"
            self.custom_rule = rule

    def _load_simple(self, rule: Recurrence) -> bool:
        """Fill the fields from ``rule`` when they can say it exactly; False otherwise."""
        try:
            days = rule.days
        except (ValueError, TypeError):
            return False
        if not isinstance(rule.interval, int) or not isinstance(rule.by_month_days, list):
            return False
        if rule.count is not None and rule.until is not None:
            return False
        until = self._until_date(rule.until)
        if rule.until is not None and until is None:
            return False
        md, months, pos = rule.by_month_days, rule.by_months, rule.by_set_position
        plain = [w for n, w in days if n is None]
        f = rule.frequency
        if f not in REPEATING:
            return False
        if f in ("daily", *SUB_DAILY) and (days or md or months or pos):
            return False
        if f == "weekly" and (md or months or pos or len(plain) != len(days)):
            return False
        if f in ("monthly", "yearly") and not self._load_on(rule, days, md, pos):
            return False
        if f == "monthly" and months:
            return False
        self.frequency, self.interval = f, rule.interval
        if f == "weekly":
            self.weekdays = set(plain)
        if f == "yearly":
            self.months = set(months)
        self.ends = "count" if rule.count is not None else "until" if until is not None else "never"
        self.count, self.until = rule.count, until
        self.follow_first_date()  # what the rule left unsaid, counted as this rule counts
        return True

    def _load_on(
        self, rule: Recurrence, days: list[tuple[int | None, int]], md: list[int], pos: list[int]
    ) -> bool:
        """The "on" part of a monthly or yearly rule: one numbered weekday (``"1monday"``, or
        the older ``byDays: ["monday"], bySetPosition: [1]``), one month day, or none."""
        in_year = rule.frequency == "yearly" and not rule.by_months
        choices = YEAR_NTH_CHOICES if in_year else NTH_CHOICES
        if len(days) == 1 and days[0][0] in choices and not md and not pos:
            self.monthly_mode, self.nth, self.nth_weekday = "nth", days[0][0], days[0][1]
            self.nth_chosen = True
        elif len(days) == 1 and days[0][0] is None and len(pos) == 1 and pos[0] in NTH_CHOICES:
            self.monthly_mode, self.nth, self.nth_weekday = "nth", pos[0], days[0][1]
            self.nth_chosen = True
        elif len(md) == 1 and not days and not pos and rule.frequency == "monthly":
            self.monthly_mode, self.month_day = "day", md[0]
            self.month_day_chosen = True
        elif not md and not days and not pos:
            self.monthly_mode = "day"  # the first window's day, which month_day follows
        else:
            return False
        return True

    def _until_date(self, until: Any) -> date | None:
        """The local day an ``until`` ends: a bare date, or a date-time at the end of a day in
        the alarm's zone (what :meth:`build_rule` writes). Other instants stay RRULE text."""
        if isinstance(until, datetime):
            zone = zone_or_none(self.timezone)
            local = until.astimezone(zone) if zone is not None and until.tzinfo else until
            return local.date() if local.time().replace(microsecond=0) == END_OF_DAY else None
        return until if isinstance(until, date) else None

    def _until_value(self) -> date | datetime | None:
        """The end date as the platform writes it: the end of that local day, with offset."""
        zone = zone_or_none(self.timezone)
        if self.until is None or zone is None:
            return self.until
        return localize(datetime.combine(self.until, END_OF_DAY), zone)

    def build_rule(self) -> Recurrence | None:
        """The first rule as the fields describe it (None for frequency "none"), in the
        platform's form: numbered weekdays in ``byDays``, ``until`` as a date-time; month days
        and months only when the rule needs them."""
        if self.frequency == "none":
            return None
        if self.frequency == "custom":
            return self.custom_rule
        base = self.base_rule
        rule = Recurrence(
            frequency=self.frequency,
            interval=self.interval,
            extra=dict(self.rule_extra),
            source=base.source if base is not None else None,
        )
        if self.frequency == "weekly":
            rule.by_days = [DAY_NAMES[i] for i in sorted(self.weekdays) if 0 <= i <= 6]
            if base is not None and _same_set(base.by_days, rule.by_days):
                rule.by_days = list(base.by_days)  # the stored order, not ours
        elif self.frequency in ("monthly", "yearly"):
            if self.monthly_mode == "nth":
                rule.by_days = [day_entry(self.nth_weekday % 7, self.nth)]
            elif self.frequency == "monthly" and self.month_day != self.first_date.day:
                rule.by_month_days = [self.month_day]
            if self.frequency == "yearly":
                rule.by_months = sorted(self.months)
                if base is not None and _same_set(base.by_months, rule.by_months):
                    rule.by_months = list(base.by_months)
        if self.ends == "count":
            rule.count = self.count
        elif self.ends == "until":
            base_until = base.until if base is not None else None
            same_day = base_until is not None and self._until_date(base_until) == self.until
            rule.until = base_until if same_day else self._until_value()
        if base is not None and _platform_form(rule) == _platform_form(base):
            return base  # says what the stored rule says: keep its words
        return rule

    def _span(self) -> timedelta:
        days = self.end_day_offset
        if days is None:
            days = 1 if self.end_time < self.start_time else 0
        start = datetime.combine(self.first_date, self.start_time)
        return datetime.combine(self.first_date + timedelta(days=days), self.end_time) - start

    def to_alarm(self) -> Alarm:
        """The alarm these fields describe, keeping the loaded alarm's unknown keys and, for
        unchanged values, its original strings and key order."""
        zone = zone_or_none(self.timezone)
        start_naive = datetime.combine(self.first_date, self.start_time)
        end_naive = start_naive + self._span()
        start = localize(start_naive, zone) if zone else start_naive
        end = localize(end_naive, zone) if zone else end_naive
        rules: list[Recurrence] = []
        first = self.build_rule()
        if first is not None:
            rules.append(first)
        rules.extend(self.other_rules)
        msg: str | None = self.message
        if not msg and (self.base is None or self.base.message is None):
            msg = None
        return Alarm(
            start=start,
            end=end,
            timezone=self.timezone,
            recurrence=rules,
            uplink_rate_min_per_hour=self.rate,
            message=msg,
            extra=dict(self.extra),
            source=self.base.source if self.base is not None else None,
        )

    # --- editor helpers -----------------------------------------------------------------------

    def validate(self) -> list[AlarmProblem]:
        """Problems keyed by draft field name, in plain sentences."""
        out: list[AlarmProblem] = []
        if self._span() <= timedelta(0):
            out.append(AlarmProblem("end_time", "The window must end after it starts."))
        if zone_or_none(self.timezone) is None:
            out.append(AlarmProblem("timezone", timezone_message(self.timezone)))
        out.extend(rate_problems(self.rate, "rate"))
        f = self.frequency
        if f not in FREQUENCY_CHOICES:
            out.append(
                AlarmProblem(
                    "frequency", f"'{f}' is not a frequency; choose one of {', '.join(REPEATING)}."
                )
            )
        if f in REPEATING:
            out.extend(self._repeat_problems())
        if f == "custom":
            if self.custom_rule is None:
                out.append(
                    AlarmProblem("custom_rule", "Enter an RRULE, e.g. FREQ=WEEKLY;BYDAY=MO.")
                )
            else:
                out.extend(rule_problems(self.custom_rule, "custom_rule"))
        for i, rule in enumerate(self.other_rules):
            out.extend(rule_problems(rule, f"other_rules[{i}]"))
        return out

    def _repeat_problems(self) -> list[AlarmProblem]:
        """Problems of the first rule's fields (the frequency repeats)."""
        out: list[AlarmProblem] = []
        f = self.frequency
        if not isinstance(self.interval, int) or self.interval < 1:
            out.append(AlarmProblem("interval", "The interval must be a whole number, 1 or more."))
        elif f in SUB_DAILY:
            rule = Recurrence(frequency=f, interval=self.interval)
            out.extend(repeat_problems(rule, self._span(), "x"))
            out = [AlarmProblem("interval", p.message) for p in out]
        bad_day = not isinstance(self.month_day, int) or not 1 <= abs(self.month_day) <= 31
        if f == "monthly" and self.monthly_mode == "day" and bad_day:
            out.append(
                AlarmProblem(
                    "month_day",
                    "Month days must be 1 to 31 (or -1 to -31, counting from the month's end).",
                )
            )
        if f in ("monthly", "yearly") and self.monthly_mode == "nth":
            if self.nth not in self.nth_choices():
                out.append(AlarmProblem("nth", _nth_sentence(self.nth_counts_in_year)))
        if f == "yearly" and any(not 1 <= m <= 12 for m in self.months):
            out.append(
                AlarmProblem("months", "Months must be numbers from 1 (January) to 12 (December).")
            )
        if self.ends == "until":
            if self.until is None:
                out.append(AlarmProblem("until", "Pick the date of the last window."))
            elif self.until < self.first_date:
                out.append(AlarmProblem("until", "The end date is before the first window."))
        elif self.ends == "count" and (not isinstance(self.count, int) or self.count < 1):
            out.append(
                AlarmProblem(
                    "count", "The number of occurrences must be a whole number, 1 or more."
                )
            )
        return out

    def summary(self) -> str:
        return self.to_alarm().summary()

    def rrule_text(self) -> str:
        """RRULE text of the first rule ("" when it does not repeat)."""
        rule = self.build_rule()
        return rule.to_rrule_text() if rule is not None else ""

    def set_rrule_text(self, text: str) -> None:
        """Replace the first rule from RRULE text ("" = no repetition); raises
        :class:`~tui.alarms.RecurrenceError` with a sentence if it cannot be expressed."""
        if not text.strip():
            self.frequency, self.custom_rule = "none", None
            return
        rule = parse_rrule(text)
        rule.extra = dict(self.rule_extra)
        if rule.frequency == "weekly" and not rule.by_days:
            rule.by_days = [DAY_NAMES[self.first_date.weekday()]]  # RFC 5545: DTSTART's day
        if self.base_rule is not None:
            rule.source = self.base_rule.source  # keep the stored rule's key order
        self.load_rule(rule)

    def preview(self, n: int = 5, after: datetime | None = None) -> list[Window]:
        """The window open at ``after`` (if any) then the next ones, ``n`` in all; [] when the
        draft does not validate. ``after`` defaults to the current time."""
        if self.validate():
            return []
        alarm = self.to_alarm()
        if alarm.validate():
            return []
        now = after or datetime.now(UTC)
        out: list[Window] = []
        current = alarm.is_open(now)
        if current is not None:
            out.append(current)
        out.extend(alarm.next_windows(now, n - len(out)))
        return out[:n]


def nth_weekday_of(day: date, in_year: bool = False) -> tuple[int, int]:
    """``day``'s numbered weekday as the editor offers it and the platform's ``byDays`` says
    it: ``(4, 0)`` for Monday 23 November 2026, the fourth Monday (also the last one, but every
    month has a fourth Monday, not every month's last is the fourth); a fifth weekday is
    always its month's last, ``(-1, weekday)``. ``in_year``: counted in the year, as a
    yearly rule without months counts (2 March 2026 is the ninth Monday); a 53rd weekday is
    the year's last (only some years have one)."""
    if in_year:
        ordinal = (day.timetuple().tm_yday - 1) // 7 + 1
        return (ordinal if ordinal <= 52 else -1), day.weekday()
    ordinal = (day.day - 1) // 7 + 1
    return (ordinal if ordinal <= 4 else -1), day.weekday()


def _nth_sentence(in_year: bool) -> str:
    if in_year:
        return (
            "Choose first to 52nd, last or second to last: with no months the weekday is "
            "counted in the whole year."
        )
    return "Choose first, second, third, fourth, last or second to last."


def _same_set(stored: Any, ours: list[Any]) -> bool:
    """Whether a stored list holds the same values as ours, in any order."""
    try:
        return isinstance(stored, list) and sorted(stored) == sorted(ours)
    except TypeError:
        return False


def _platform_form(rule: Recurrence) -> Recurrence:
    """``rule`` with the older "nth weekday" spelling (``byDays: ["monday"]`` plus
    ``bySetPosition: [1]``) said as a numbered day (``["1monday"]``), for comparing meanings."""
    try:
        days = rule.days
    except (ValueError, TypeError):
        return rule
    pos = rule.by_set_position
    if len(days) == 1 and days[0][0] is None and isinstance(pos, list) and len(pos) == 1:
        same = copy.copy(rule)
        same.by_days, same.by_set_position = [day_entry(days[0][1], pos[0])], []
        return same
    return rule
