// The first-run card on Today, shown after sign-up until saved or put off: the weekly target,
// the time zone (found on this phone, confirmed or chosen from the list) and a session reminder.
// Nothing is saved until "Save"; then the card says what was saved ("Next: Monday 18:00").
import { api, describe } from "./api.js";
import { $$, h, state } from "./app.js";
import { DAY_NAMES, DAYS, deliveryText, nextText, notificationsOnHere, scheduleText } from "./schedule.js";
import { detectedTimezone, timezoneChooser } from "./timezones.js";
import { vocabulary } from "./vocabulary.js";

const flag = (userId) => `h2k:setup:${userId}`;

/** Sign-up calls this: the next Today shows the setup card. */
export function markSetupOpen(userId) {
  try { localStorage.setItem(flag(userId), "open"); } catch { /* private mode: no card */ }
}

function isOpen(userId) {
  try { return localStorage.getItem(flag(userId)) === "open"; } catch { return false; }
}

function markDone(userId) {
  try { localStorage.setItem(flag(userId), "done"); } catch { /* nothing kept */ }
}

function close(card, userId) {
  markDone(userId);
  card.hidden = true;
}

export async function setupCard(card, me) {
  if (!isOpen(me.id)) return;
  const vocab = await vocabulary();
  const range = vocab?.weekly_target ?? { min: 1, max: 7, recommended_min: 2, recommended_max: 4 };
  const target = h("select", { id: "setup-target" }, Array.from({ length: range.max - range.min + 1 }, (_, i) => {
    const n = range.min + i;
    const recommended = n >= range.recommended_min && n <= range.recommended_max;
    return h("option", { value: n }, `${n} ${n === 1 ? "session" : "sessions"}${recommended ? " (recommended)" : ""}`);
  }));
  target.value = String(me.weekly_target);

  const zoneNow = detectedTimezone();
  const zoneLine = h("p", { id: "setup-zone-line" }, "Your time zone: ", h("strong", {}, me.timezone.replace(/_/g, " ")),
    me.timezone === zoneNow ? " (found on this phone)" : "");
  const chooserBox = h("div", { class: "tz", hidden: true });
  let chooser = null;
  const change = h("button", { type: "button", class: "quiet", "aria-expanded": "false", "aria-controls": "setup-tz" }, "Change time zone");
  chooserBox.id = "setup-tz";
  change.addEventListener("click", async () => {
    chooser ??= await timezoneChooser(chooserBox, { id: "setup-timezone", value: me.timezone });
    chooserBox.hidden = false;
    change.hidden = true;
    change.setAttribute("aria-expanded", "true");
    chooser.search.focus();
  });

  const days = new Set([0, 2, 4]);
  const chips = DAYS.map((d, i) => {
    const chip = h("button", { type: "button", "aria-pressed": String(days.has(i)), title: DAY_NAMES[i] }, d);
    chip.addEventListener("click", () => {
      if (days.has(i)) days.delete(i); else days.add(i);
      chip.setAttribute("aria-pressed", String(days.has(i)));
    });
    return chip;
  });
  const time = h("input", { id: "setup-time", type: "time", value: "18:00", required: true });
  const error = h("p", { class: "error", role: "alert" });
  const save = h("button", { type: "submit", class: "primary" }, "Save");
  const later = h("button", { type: "button", class: "quiet", onclick: () => close(card, me.id) }, "Not now");

  const form = h("form", { novalidate: true },
    h("p", { class: "muted" }, "Three quick choices. Nothing is saved until you tap Save; you can change each later."),
    h("label", { for: "setup-target" }, "Sessions per week"), target,
    h("p", { class: "muted small" }, `${range.recommended_min}–${range.recommended_max} short sessions a week is what the guidance recommends.`),
    zoneLine, change, chooserBox,
    h("h3", { id: "setup-days-h" }, "Remind me to train"),
    h("div", { class: "chips", role: "group", "aria-labelledby": "setup-days-h" }, chips),
    h("label", { for: "setup-time" }, "At"), time,
    h("p", { class: "muted small" }, "Pick no day for no reminders."),
    error,
    h("div", { class: "row" }, save, later));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (days.size && !time.value) { error.textContent = "Choose a time for the reminder."; return; }
    save.disabled = true;
    try {
      const timezone = chooser ? chooser.value() : me.timezone;
      const profile = await api("PATCH", "profile", { weekly_target: Number(target.value), timezone });
      Object.assign(me, profile);
      state.me = me;
      const reminder = days.size
        ? await api("POST", "reminders", { kind: "session", weekdays: [...days].sort(), time: time.value, channel: "push", enabled: true, skip_if_done: true })
        : null;
      markDone(me.id); // saved: the next Today opens without the card
      saved(card, me, profile, reminder, await notificationsOnHere());
    } catch (e) {
      error.textContent = describe(e);
      save.disabled = false;
    }
  });
  card.replaceChildren(h("h2", { id: "setup-h" }, "Set up your plan"), form);
  card.hidden = false;
}

function saved(card, me, profile, reminder, notificationsOn) {
  const lines = [
    h("li", {}, `${profile.weekly_target} ${profile.weekly_target === 1 ? "session" : "sessions"} a week`),
    h("li", {}, `Time zone: ${profile.timezone.replace(/_/g, " ")}`),
    reminder
      ? h("li", {}, `Reminder: ${scheduleText(reminder.weekdays, reminder.time)}. `, h("strong", { id: "setup-next" }, nextText(reminder, profile.timezone)))
      : h("li", {}, "No reminders. ", h("a", { href: "/reminders" }, "Add one on Reminders")),
  ];
  card.replaceChildren(
    h("h2", { id: "setup-h" }, "Saved"),
    h("ul", { class: "plain" }, lines),
    reminder ? h("p", { class: "muted small", id: "setup-delivery" }, deliveryText(reminder.channel, notificationsOn),
      notificationsOn ? null : [" ", h("a", { href: "/reminders" }, "Turn on notifications on Reminders")]) : null,
    h("button", { type: "button", class: "wide", onclick: () => close(card, me.id) }, "Done"));
  $$("button", card)[0]?.focus();
}
