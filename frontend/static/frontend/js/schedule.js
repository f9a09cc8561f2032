// How a reminder's schedule reads, the same on Today's setup card and on Reminders:
// "Mon, Wed, Fri at 18:00" and "Next: Monday 18:00" (in the user's own time zone).
export const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function daysText(weekdays) {
  return [...weekdays].sort().map((d) => DAYS[d]).join(", ");
}

/** "Next: Monday 18:00" for a saved reminder, "Off" for one switched off. */
export function nextText(reminder, timeZone) {
  if (!reminder.enabled) return "Off";
  if (!reminder.next_fire_at) return "";
  const when = new Date(reminder.next_fire_at);
  const day = when.toLocaleDateString(undefined, { weekday: "long", timeZone });
  const time = when.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", timeZone });
  return `Next: ${day} ${time}`;
}
