// Reminders: schedules (weekday chips and a local time), push switched on only after a tap,
// subscribed with the server's VAPID key, a "send a test" button; email as the alternative.
// Opened as /reminders?snooze=<id> when a notification's Snooze could not be sent from the
// service worker: the page asks first, since anyone can link to that address.
import { api, ApiError, describe } from "../api.js";
import { $, boot, h, read, runPage, state } from "../app.js";

import { formatTime } from "../dates.js";
import * as outbox from "../outbox.js";
import { redFlag } from "../safety.js";
import { DAY_NAMES, DAYS, deliveryText, nextText, notificationsOnHere, scheduleText } from "../schedule.js";

const SUBSCRIBE_TIMEOUT_MS = 10_000;
let counter = 0;
let notificationsOn = false; // on this phone: what a "Notification" reminder really comes as
const deliveryLines = new Set(); // each card's way to redraw its "It comes by ..." line

function reminderCard(reminder, onGone) {
  const n = (counter += 1);
  const isNew = reminder.id == null;
  const days = new Set(reminder.weekdays);
  const morning = reminder.kind === "morning_check";
  const chips = DAYS.map((d, i) => {
    const chip = h("button", { type: "button", "aria-pressed": String(days.has(i)), title: DAY_NAMES[i] }, d);
    chip.addEventListener("click", () => {
      if (days.has(i)) days.delete(i); else days.add(i);
      chip.setAttribute("aria-pressed", String(days.has(i)));
      retitle();
      edited();
    });
    return chip;
  });
  const time = h("input", { id: `r${n}-time`, type: "time", value: reminder.time, required: true });
  const channel = h("select", { id: `r${n}-channel` }, h("option", { value: "push" }, "Notification"), h("option", { value: "email" }, "Email"));
  channel.value = reminder.channel;
  const enabled = h("input", { type: "checkbox", id: `r${n}-on` });
  enabled.checked = reminder.enabled;
  const skip = h("input", { type: "checkbox", id: `r${n}-skip` });
  skip.checked = reminder.skip_if_done;
  const status = h("p", { role: "status", "aria-live": "polite" });
  const edited = () => unsaved(reminder.id == null ? "Not saved yet: tap Save to keep this reminder." : "Changes not saved yet: tap Save.");
  for (const control of [time, channel, enabled, skip]) control.addEventListener("change", edited);
  const error = h("p", { class: "error" });
  // titled by its own days and time, so two reminders never read the same
  const kind = morning ? "Morning knee check" : "Session reminder";
  const heading = h("span");
  const deleteButton = h("button", { type: "button", class: "quiet", onclick: () => remove() }, "Delete");
  function retitle() {
    const schedule = scheduleText([...days].sort(), time.value);
    heading.textContent = schedule;
    deleteButton.setAttribute("aria-label", `Delete the ${kind.toLowerCase()} ${schedule}`);
  }
  time.addEventListener("input", retitle);
  const delivery = h("p", { class: "muted small delivery" });
  const showDelivery = () => { delivery.textContent = deliveryText(channel.value, notificationsOn); };
  deliveryLines.add(showDelivery);
  channel.addEventListener("change", showDelivery);
  showDelivery();
  const next = h("p", { class: "muted small" });
  // what is on the server, and whether this card still differs from it: never an unsaved
  // form that looks saved
  const saveState = h("p", { class: "badge" });
  const showNext = (r) => { next.textContent = nextText(r, state.me?.timezone); };
  const unsaved = (text) => { saveState.textContent = text; saveState.className = "badge unsaved"; status.textContent = ""; };
  if (isNew) unsaved("Not saved yet: tap Save to keep this reminder.");
  else { saveState.textContent = "Saved"; saveState.className = "badge saved"; }
  showNext(reminder);

  async function saveIt() {
    error.textContent = "";
    const body = { weekdays: [...days].sort(), time: time.value, channel: channel.value, enabled: enabled.checked, skip_if_done: skip.checked };
    if (!body.weekdays.length) { error.textContent = "Pick at least one day."; return; }
    try {
      const saved = isNew && reminder.id == null
        ? await api("POST", "reminders", { ...body, kind: reminder.kind })
        : await api("PATCH", `reminders/${reminder.id}`, body);
      reminder.id = saved.id;
      showNext(saved);
      saveState.textContent = "Saved";
      saveState.className = "badge saved";
      status.textContent = "Saved.";
    } catch (e) {
      error.textContent = describe(e);
    }
  }
  async function remove() {
    if (reminder.id != null) {
      try { await api("DELETE", `reminders/${reminder.id}`); } catch (e) { error.textContent = describe(e); return; }
    }
    deliveryLines.delete(showDelivery);
    onGone(node);
  }
  const node = h("section", { class: "card", "aria-labelledby": `r${n}-h` },
    h("h2", { id: `r${n}-h` }, h("span", { class: "kicker" }, kind), " ", heading), saveState, next,
    h("div", { class: "chips", role: "group", "aria-label": `Days for ${kind.toLowerCase()}` }, chips),
    h("div", { class: "row" },
      h("div", {}, h("label", { for: `r${n}-time` }, "Time"), time),
      h("div", {}, h("label", { for: `r${n}-channel` }, "Send as"), channel)),
    delivery,
    h("label", { class: "check", for: `r${n}-on` }, enabled, "On"),
    morning ? null : h("label", { class: "check", for: `r${n}-skip` }, skip, "Not when today’s session is already logged"),
    error,
    h("div", { class: "row" },
      h("button", { type: "button", class: "primary", onclick: saveIt }, "Save"),
      deleteButton),
    status);
  retitle();
  return node;
}

function b64urlToBytes(value) {
  const padded = value.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((value.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function withTimeout(promise, ms, message) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms))]);
}

async function pushState() {
  const state = $("#push-state");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    state.textContent = "This browser cannot show notifications from Hip2Knee. Use email reminders instead.";
    $("#push-on").hidden = true;
    return null;
  }
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  if (Notification.permission === "denied") state.textContent = "Notifications are blocked for this site in the browser’s settings.";
  else state.textContent = subscription ? "Notifications are on for this phone." : "Notifications are off for this phone.";
  $("#push-on").hidden = Boolean(subscription);
  $("#push-test").hidden = !subscription;
  notificationsOn = await notificationsOnHere();
  deliveryLines.forEach((redraw) => redraw());
  return registration;
}

async function turnPushOn() {
  const status = $("#push-status");
  status.textContent = "Asking the browser…";
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      status.textContent = "Notifications were not allowed. You can choose email reminders instead.";
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const { key } = await api("GET", "push/vapid-public-key");
    const subscription = await withTimeout(
      registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64urlToBytes(key) }),
      SUBSCRIBE_TIMEOUT_MS,
      "The browser's push service did not answer.",
    );
    await api("POST", "push/subscriptions", subscription.toJSON());
    status.textContent = "Notifications are on. Send a test to check.";
  } catch (error) {
    status.textContent = error instanceof ApiError ? describe(error) : `Could not turn notifications on: ${error.message} Try again, or use email reminders.`;
  }
  await pushState();
}

async function sendTest() {
  const status = $("#push-status");
  status.textContent = "Sending…";
  try {
    const answer = await api("POST", "push/test");
    status.textContent = answer.sent ? `Test sent to ${answer.sent} ${answer.sent === 1 ? "device" : "devices"}. It should appear in a moment.` : `The test could not be delivered: ${answer.detail}`;
  } catch (error) {
    status.textContent = describe(error);
  }
}

/** Asks before snoozing the reminder a /reminders?snooze=<id> link names; never turns one on. */
function askToSnooze(id, reminders) {
  history.replaceState(null, "", "/reminders"); // a reload does not ask again
  const status = $("#snoozed");
  const reminder = reminders.find((r) => String(r.id) === id);
  if (!reminder) { status.textContent = "That reminder is not in your list any more."; return; }
  if (!reminder.enabled) { status.textContent = "That reminder is off, so it was not snoozed. Turn it on below if you want it back."; return; }
  const card = $("#snooze");
  const what = reminder.kind === "morning_check" ? "morning knee check" : "session reminder";
  $("#snooze-what").textContent = `Remind you again in an hour instead of waiting for the next ${what} at ${formatTime(reminder.time)}?`;
  card.hidden = false;
  $("#snooze-no").addEventListener("click", () => { card.hidden = true; status.textContent = "Not snoozed."; });
  $("#snooze-yes").addEventListener("click", async () => {
    card.hidden = true;
    try {
      const r = await api("POST", `reminders/${reminder.id}/snooze`, {});
      status.textContent = `Snoozed: reminding you again at ${formatTime(r.next_fire_at, { timeZone: state.me?.timezone })}.`;
    } catch (error) {
      status.textContent = `Could not snooze: ${describe(error)}`;
    }
  });
  $("#snooze-yes").focus();
}

async function main() {
  const me = await boot();
  if (!me) return;
  const list = $("#reminders");
  const gone = (node) => node.remove();
  const reminders = (await read("reminders")) || [];
  list.replaceChildren(...reminders.map((r) => reminderCard(r, gone)));
  if (!reminders.length) {
    list.append(reminderCard({ id: null, kind: "session", weekdays: [0, 2, 4], time: "18:00", channel: "push", enabled: true, skip_if_done: true }, gone));
  }
  // a red flag holds the plan: reminders change their words, and the page says so
  const red = await redFlag(await read("progress/weekly?weeks=1"), await outbox.entries(me.id));
  $("#on-hold").hidden = !red;
  const snooze = new URLSearchParams(location.search).get("snooze");
  if (snooze !== null) askToSnooze(snooze, reminders);
  $("#add").addEventListener("click", () => {
    list.append(reminderCard({ id: null, kind: "session", weekdays: [1, 3, 5], time: "18:00", channel: "push", enabled: true, skip_if_done: true }, gone));
  });
  $("#push-on").addEventListener("click", turnPushOn);
  $("#push-test").addEventListener("click", sendTest);
  pushState();
}

runPage(main);
