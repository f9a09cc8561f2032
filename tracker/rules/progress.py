"""Weekly progress: is the habit holding, and is the knee getting better?

Sources: Dolak et al. 2011 (JOSPT): pain fell about 43% after 4 weeks of hip strengthening, and
both groups had improved by week 8, so weeks 4 and 8 are the milestones and each week is compared
with the user's own first week. Farrar et al. 2001 (Pain) and Crossley et al. 2004: about 2 points
or 30% on the 0-10 scale is the smallest change that matters; the app asks the 30% to be at least
a point too (its own guard: 30% of a first week of 1 is a third of a point). A smaller fall of a
point or more is "a little better", never a success; a change under a point either way is "about
the same", never an alarm. The habit score is Loop Habit Tracker's exponential score, adapted to
"N sessions per 7 days".
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean
from typing import Final
from zoneinfo import ZoneInfo

from tracker.rules.weeks import local_date, week_start, weeks_from

MEANINGFUL_POINTS = 2.0
MEANINGFUL_PCT = 30.0
MEANINGFUL_PCT_MIN_POINTS = 1.0  # 30% of a low first week is not enough on its own
SAME_POINTS = 1.0  # a change under a point either way is "about the same"
REST_WEEK_DAYS = 4  # a week "mostly" of rest or flare days: 4 or more of its 7 days
HELPS_MIN_WEEKS = 6
HELPS_MIN_PER_GROUP = 3
HELPS_MIN_POINTS = 1.0
_EPSILON = 1e-9


@dataclass(frozen=True)
class SessionFact:
    started_at: datetime
    pain_during: int | None = None
    pain_next_morning: int | None = None


@dataclass(frozen=True)
class CheckInFact:
    day: date
    pain: int
    rest_day: bool = False
    red_flags: tuple[str, ...] = ()
    recorded_at: datetime | None = None  # when it was first saved
    updated_at: datetime | None = None  # when it was last saved
    red_flags_at: datetime | None = None  # when a red flag was last added to it


@dataclass(frozen=True)
class Week:
    week_start: date
    sessions: int
    target: int
    met: bool
    pain_mean: float | None
    pain_change_pct: float | None
    checkins: int
    rest_week: bool
    complete: bool


@dataclass(frozen=True)
class Milestone:
    week_start: date
    pain_mean: float
    change_points: float | None
    pain_change_pct: float | None
    meaningful: bool
    message: str


@dataclass(frozen=True)
class Helps:
    enough_data: bool
    after_on_target: dict[str, float | int | None]
    after_below_target: dict[str, float | int | None]
    difference: float | None
    message: str


# The check-in's questions on everyday function, each knee pain 0-10 while doing it (the app's
# own plain questions; licensed questionnaires such as KOOS-PF are not reproduced).
FUNCTION_QUESTIONS: Final = ("stairs", "sitting", "squatting", "walking")


@dataclass(frozen=True)
class WeekPains:
    """A week's check-ins summed: how many, and their knee pain added up; ``function``: per
    question of ``FUNCTION_QUESTIONS``, how many answered it and their answers added up."""

    count: int
    total: int
    function: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    def function_means(self) -> dict[str, float | None]:
        """Each function question's mean that week (None when nobody answered it):
        ``{"stairs": (2, 9)}`` gives ``{"stairs": 4.5, "sitting": None, ...}``."""
        means: dict[str, float | None] = {}
        for question in FUNCTION_QUESTIONS:
            answered, total = self.function.get(question, (0, 0))
            means[question] = total / answered if answered else None
        return means


@dataclass(frozen=True)
class Totals:
    """A user's whole history, summed per local day or week (by the database): all the weekly
    rules need, so a long history costs its weeks and days, not its rows.

    ``first_checkins``: the two earliest check-ins as ``(day, pain)``, for the baseline.
    """

    session_days: Mapping[date, int]  # local day -> sessions that day
    pain_weeks: Mapping[date, WeekPains]  # Monday -> that week's check-ins
    rest_days: frozenset[date]
    first_checkins: tuple[tuple[date, int], ...]

    @property
    def first_day(self) -> date | None:
        """The first day with a session or a check-in."""
        days = [*self.session_days, *(day for day, _ in self.first_checkins[:1])]
        return min(days) if days else None


@dataclass(frozen=True)
class History:
    """Everything the weekly rules need, derived once from the raw facts."""

    tz: ZoneInfo
    today: date
    current_week: date
    first_week: date | None
    weeks: list[Week] = field(default_factory=list)  # from week 1 to the current week
    baseline: float | None = None


def round1(value: float | None) -> float | None:
    """Pain values and percentages are shown to one decimal, halves rounded away from zero."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def baseline_pain(totals: Totals, first_week: date | None) -> float | None:
    """Mean of week 1's check-ins, or of the first two check-ins when week 1 has fewer than two.

    A baseline needs two check-ins, so one good (or bad) day cannot fake a 30% change:
    ``[5 on Mon, 7 on Wed of week 1]`` gives 6.0; a single check-in gives None.
    """
    if first_week is None or len(totals.first_checkins) < 2:
        return None
    week_one = totals.pain_weeks.get(first_week)
    if week_one is not None and week_one.count >= 2:
        return week_one.mean
    return fmean(pain for _, pain in totals.first_checkins[:2])


def pain_change_pct(mean: float | None, baseline: float | None) -> float | None:
    """Change against the baseline in percent; negative means less pain. None without a base."""
    if mean is None or baseline is None or baseline == 0:
        return None
    return (mean - baseline) / baseline * 100


def is_meaningful(change_points: float | None, pct: float | None) -> bool:
    """True only when pain fell by at least 2 points, or by at least 30% when that is also at
    least 1 point (see the module's docstring), judged on unrounded means: 6 -> 4 and 3 -> 2 are
    meaningful; 5 -> 3.6 (1.4 points, 28%) and 1.0 -> 0.67 (33%, but a third of a point) are not.
    """
    if change_points is None:
        return False
    if change_points <= -MEANINGFUL_POINTS + _EPSILON:
        return True
    return (
        pct is not None
        and pct <= -MEANINGFUL_PCT + _EPSILON
        and change_points <= -MEANINGFUL_PCT_MIN_POINTS + _EPSILON
    )


def toward_zero1(change: float | None) -> float | None:
    """A change as shown: to one decimal, rounded toward zero, so that a change below a
    threshold never reads as reaching it (a fall of 1.95 is -1.9, of 2.66 is -2.6)."""
    if change is None:
        return None
    return math.copysign(math.floor(abs(change) * 10 + _EPSILON) / 10, change)


def _points(change: float) -> str:
    """A change in points as the words give it (``toward_zero1``): "1.9 points"."""
    shown = abs(toward_zero1(change) or 0.0)
    return f"{shown:g} {'point' if shown == 1 else 'points'}"


def describe_change(
    change_points: float | None, pct: float | None, meaningful: bool, *, on_hold: bool = False
) -> str:
    """Plain words for a change against the first week; below the threshold never "success",
    and a rise under a point never an alarm. ``on_hold``: a red flag is up, so a meaningful fall
    is stated without "keep going" (the plan waits for a clinician)."""
    if change_points is None:
        return "Not enough check-ins from your first weeks to compare with yet."
    if meaningful:
        # whole percent toward zero, as the pages write it (58.6% is "58%")
        share = f" ({math.floor(abs(pct) + _EPSILON)}% less)" if pct is not None else ""
        onward = "" if on_hold else " Keep going at a comfortable pace."
        return (
            f"Knee pain is {_points(change_points)} lower than in your first week{share}: a "
            f"change big enough to matter.{onward}"
        )
    if abs(change_points) < SAME_POINTS - _EPSILON:
        return "About the same as your first week. Programmes are best judged after about 6 weeks."
    if change_points < 0:
        return (
            f"A little better: knee pain is {_points(change_points)} lower than in your first "
            "week. Changes under 2 points or 30% can be everyday ups and downs."
        )
    return (
        f"Knee pain is {_points(change_points)} higher than in your first week. Stop if pain "
        "increases instead of improving: ease off, and see a physiotherapist if it keeps rising."
    )


def _per_week(per_day: Mapping[date, int]) -> dict[date, int]:
    """Daily counts added up per week (``week_start``, on ordinals: two years is 700 days)."""
    weeks: Counter[int] = Counter()
    for day, count in per_day.items():
        ordinal = day.toordinal()
        weeks[ordinal - (ordinal - 1) % 7] += count  # ordinal 1, 1 January of year 1, a Monday
    return {date.fromordinal(monday): count for monday, count in weeks.items()}


def build_history(*, totals: Totals, tz_name: str, weekly_target: int, now: datetime) -> History:
    """Every week from week 1 (the week of the first session or check-in) to the current one."""
    tz = ZoneInfo(tz_name)
    today = local_date(now, tz)
    current = week_start(today)
    sessions_per_week = Counter(_per_week(totals.session_days))
    rest_days = Counter(week_start(day) for day in totals.rest_days)
    starts = [*sessions_per_week, *totals.pain_weeks]
    if not starts:
        return History(tz=tz, today=today, current_week=current, first_week=None)
    first = min(starts)
    baseline = baseline_pain(totals, first)
    weeks = []
    for monday in weeks_from(first, max(current, max(starts))):
        pains = totals.pain_weeks.get(monday)
        mean = pains.mean if pains is not None else None
        done = sessions_per_week[monday]
        weeks.append(
            Week(
                week_start=monday,
                sessions=done,
                target=weekly_target,
                met=done >= weekly_target,
                pain_mean=mean,
                pain_change_pct=pain_change_pct(mean, baseline),
                checkins=pains.count if pains is not None else 0,
                rest_week=rest_days[monday] >= REST_WEEK_DAYS,
                complete=monday < current,
            )
        )
    return History(
        tz=tz, today=today, current_week=current, first_week=first, weeks=weeks, baseline=baseline
    )


def streak_weeks(weeks: Sequence[Week]) -> int:
    """Consecutive completed weeks on target, ending with last week.

    The unfinished current week never breaks the streak and adds one once its target is met; a
    week marked mostly as rest or flare days (easing off, as the pain rules advise) neither breaks
    nor adds. Example, oldest first: met, missed, met, rest, met, current (1 of 3) -> 2.
    """
    streak = 0
    for week in reversed([w for w in weeks if w.complete]):
        if week.rest_week:
            continue
        if not week.met:
            break
        streak += 1
    current = [w for w in weeks if not w.complete]
    if current and current[0].met:
        streak += 1
    return streak


def habit_score(
    *,
    session_days: Mapping[date, int],
    rest_days: Iterable[date],
    weekly_target: int,
    first_day: date | None,
    today: date,
) -> float:
    """A 0-100 score that rises with sessions and decays with missed ones.

    Loop Habit Tracker's ``Score.compute``: each day ``score = previous * m + value * (1 - m)``
    with ``m = 0.5 ** (sqrt(frequency) / 13)``. Here ``frequency = target / 7`` and a day's value
    is the share of the target done in the 7 days ending that day (capped at 1), so "3 times in
    7 days" at a target of 3 counts as fully done. A day marked as a rest or flare day freezes the
    score instead of lowering it. With a target of 3, m ≈ 0.966: from 0, 20 days fully on target
    give about 50, and a lapse loses half the score in about 20 days.

    ``session_days``: how many sessions each day had.
    """
    if first_day is None or today < first_day:
        return 0.0
    multiplier = 0.5 ** (math.sqrt(weekly_target / 7) / 13)
    # days as offsets from the first: two years of days is a loop of 730, on every progress read
    start = first_day.toordinal()
    days = today.toordinal() - start + 1
    done = [0] * days
    for day, count in session_days.items():
        offset = day.toordinal() - start
        if 0 <= offset < days:
            done[offset] += count
    frozen = [False] * days
    for day in rest_days:
        offset = day.toordinal() - start
        if 0 <= offset < days:
            frozen[offset] = True
    fresh = 1 - multiplier
    window = 0
    score = 0.0
    for offset in range(days):
        window += done[offset] - (done[offset - 7] if offset >= 7 else 0)
        if not frozen[offset]:
            value = window / weekly_target if window < weekly_target else 1.0
            score = score * multiplier + value * fresh
    return min(100.0, max(0.0, score * 100))


def milestone(history: History, week_number: int, *, on_hold: bool = False) -> Milestone | None:
    """Week 4 or week 8 against the baseline; None until that week has check-ins. ``on_hold``:
    a red flag is up (see ``describe_change``)."""
    if history.first_week is None:
        return None
    monday = history.first_week + timedelta(weeks=week_number - 1)
    week = next((w for w in history.weeks if w.week_start == monday), None)
    if week is None or week.pain_mean is None:
        return None
    change = None if history.baseline is None else week.pain_mean - history.baseline
    pct = pain_change_pct(week.pain_mean, history.baseline)
    meaningful = is_meaningful(change, pct)
    return Milestone(
        week_start=monday,
        pain_mean=week.pain_mean,
        change_points=change,
        pain_change_pct=pct,
        meaningful=meaningful,
        message=describe_change(change, pct, meaningful, on_hold=on_hold),
    )


def helps(weeks: Sequence[Week]) -> Helps:
    """Does the habit help? Mean pain in the week after weeks on target against the week after
    weeks below it, each with how many weeks stand behind it. Only completed weeks that are not
    rest weeks count; there is no claim until each side has at least three weeks, and a
    difference under a point is "no clear difference yet".
    """
    complete = [w for w in weeks if w.complete]
    after_on: list[float] = []
    after_below: list[float] = []
    for this, following in itertools.pairwise(complete):
        if this.rest_week or following.pain_mean is None:
            continue
        (after_on if this.met else after_below).append(following.pain_mean)
    on = {"pain_mean": round1(fmean(after_on)) if after_on else None, "weeks": len(after_on)}
    below = {
        "pain_mean": round1(fmean(after_below)) if after_below else None,
        "weeks": len(after_below),
    }
    if len(complete) < HELPS_MIN_WEEKS:
        return Helps(
            False,
            on,
            below,
            None,
            f"After {HELPS_MIN_WEEKS} weeks of logging, this compares your knee after weeks on "
            "target with weeks below it.",
        )
    if len(after_on) < HELPS_MIN_PER_GROUP or len(after_below) < HELPS_MIN_PER_GROUP:
        return Helps(
            False,
            on,
            below,
            None,
            f"Not enough weeks to compare yet: so far {len(after_on)} on target and "
            f"{len(after_below)} below it, each followed by a week with check-ins. This needs "
            f"{HELPS_MIN_PER_GROUP} of each.",
        )
    difference = fmean(after_on) - fmean(after_below)
    if abs(difference) < HELPS_MIN_POINTS - _EPSILON:
        words = "no clear difference yet"
    elif difference < 0:
        words = "lower after weeks on target"
    else:
        words = "higher after weeks on target; ease off if sessions leave your knee worse"
    message = (
        f"In weeks after you met your target, knee pain averaged {on['pain_mean']:g} "
        f"({len(after_on)} weeks), against {below['pain_mean']:g} after weeks below it "
        f"({len(after_below)} weeks): {words}. A pattern in your own data, not proof."
    )
    return Helps(True, on, below, round1(difference), message)
