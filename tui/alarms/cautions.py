"""What an operator should know about an alarm besides its windows: keys the platform does not
describe, and a first window that is not one of the rule's own."""

from __future__ import annotations

from .model import Alarm, AlarmInvalid
from .recurrence import NON_PLATFORM_KEYS, Recurrence
from .summary import join_words


def non_platform_keys(alarm: Alarm) -> list[str]:
    """The keys of :data:`~tui.alarms.recurrence.NON_PLATFORM_KEYS` the alarm's rules write."""
    rules = alarm.recurrence if isinstance(alarm.recurrence, list) else []
    used = {k for r in rules if isinstance(r, Recurrence) for k in r.non_platform_keys}
    return [k for k in NON_PLATFORM_KEYS if k in used]


def alarm_cautions(alarm: Alarm) -> list[str]:
    """Sentences for the preview and the command line; empty for an alarm in the platform's
    own form whose first window is on its rule. Never raises."""
    out: list[str] = []
    keys = non_platform_keys(alarm)
    if keys:
        them = "it" if len(keys) == 1 else "them"
        out.append(
            f"{join_words(keys)} {'is' if len(keys) == 1 else 'are'} not in the platform's "
            f"description of a recurrence: the platform may ignore {them} or refuse the alarm."
        )
    try:
        if alarm.first_window_is_extra:
            first = alarm.first_window.describe()
            out.append(
                f"The first window ({first}) is not on the rule: it is an extra window "
                "before the rule's own."
            )
    except (AlarmInvalid, ValueError, TypeError, OverflowError):
        pass  # an alarm that does not validate has its problems shown instead
    return out
