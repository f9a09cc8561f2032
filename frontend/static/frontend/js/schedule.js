// How a reminder reads, the same on Today's setup card and on Reminders: "Mon, Wed, Fri at
// 18:00", "Next: Mon 7 Dec, 18:00" (in the user's own time zone), and how it will really arrive:
// the server sends a notification when a phone of the user's has them on, and email otherwise.
import { formatDateTime, formatTime, WEEKDAYS } from "./dates.js";

export const DAYS = WEEKDAYS;
export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function daysText(weekdays) {
  if (new Set(weekdays).size === 7) return "Every day";
  return [...weekdays].sort().map((d) => DAYS[d]).join(", ");
}

/** "Mon, Wed, Fri at 18:00": the reminder's own title, different for each of a user's reminders. */
export function scheduleText(weekdays, time) {
  return `${weekdays.length ? daysText(weekdays) : "No day chosen"} at ${time ? formatTime(time) : "–"}`;
}

/** "Next: Mon 7 Dec, 18:00" for a saved reminder, "Off" for one switched off. */
export function nextText(reminder, timeZone) {
  if (!reminder.enabled) return "Off";
  if (!reminder.next_fire_at) return "";
  return `Next: ${formatDateTime(reminder.next_fire_at, { timeZone })}`;
}

/** Whether this phone shows Hip2Knee's notifications: allowed, and subscribed for them. */
export async function notificationsOnHere() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return false;
  if (Notification.permission !== "granted") return false;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    return Boolean(await registration?.pushManager.getSubscription());
  } catch {
    return false;
  }
}

/** How a reminder sent on `channel` will really arrive, as the server sends it. */
export function deliveryText(channel, notificationsOn) {
  if (channel === "email") return "It comes by email.";
  return notificationsOn
    ? "It comes as a notification on this phone."
    : "It comes by email until you turn on notifications for this phone.";
}
