// The one way every page writes days and times, whatever the phone's language: "Thu 3 Dec" (with
// the year when not this year), 24-hour "07:30", "Thu 3 Dec, 07:30". A calendar day
// ("2026-12-03") is that day anywhere; a moment (ISO time or Date) is shown in `timeZone`.

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const formats = new Map(); // time zone -> its formatter (slow to build)

function formatter(timeZone) {
  const key = timeZone || "";
  if (!formats.has(key)) {
    formats.set(key, new Intl.DateTimeFormat("en-GB", { timeZone: timeZone || undefined, year: "numeric",
      month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }));
  }
  return formats.get(key);
}

/** {year, month (1-12), day, weekday (0 = Monday), hour, minute} of `value` in `timeZone`. */
export function dateParts(value, timeZone) {
  if (typeof value === "string" && CALENDAR_DAY.test(value)) {
    const [year, month, day] = value.split("-").map(Number);
    return { year, month, day, weekday: (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7, hour: 0, minute: 0 };
  }
  const moment = value instanceof Date ? value : new Date(value);
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(moment).map((p) => [p.type, p.value]));
  const [year, month, day] = [parts.year, parts.month, parts.day].map(Number);
  return { year, month, day, weekday: (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7,
    hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}

/** "Thu 3 Dec"; "Thu 3 Dec 2025" when not this year (or `year: true`); no weekday with `weekday: false`. */
export function formatDate(value, { timeZone, weekday = true, year = false } = {}) {
  const p = dateParts(value, timeZone);
  const showYear = year || p.year !== dateParts(new Date(), timeZone).year;
  return `${weekday ? `${WEEKDAYS[p.weekday]} ` : ""}${p.day} ${MONTHS[p.month - 1]}${showYear ? ` ${p.year}` : ""}`;
}

/** "07:30" (24-hour): of a moment in `timeZone`, or of a saved "HH:MM" / "HH:MM:SS" time. */
export function formatTime(value, { timeZone } = {}) {
  if (typeof value === "string" && /^\d{1,2}:\d{2}/.test(value)) {
    const [hour, minute] = value.split(":");
    return `${hour.padStart(2, "0")}:${minute}`;
  }
  const p = dateParts(value, timeZone);
  return `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

/** "Thu 3 Dec, 07:30" */
export function formatDateTime(value, { timeZone, year = false } = {}) {
  return `${formatDate(value, { timeZone, year })}, ${formatTime(value, { timeZone })}`;
}
