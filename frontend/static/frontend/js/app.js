// What every page does first: find out who is signed in (from the network, or what this phone
// last saw when offline), keep the outbox flowing, and say plainly what is saved where.
import { api, ApiError, BASE, OfflineError } from "./api.js";
import { formatDate, formatDateTime } from "./dates.js";
import * as outbox from "./outbox.js";
import { vocabulary } from "./vocabulary.js";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Builds an element; strings become text (never HTML), so user data cannot inject markup. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child != null && child !== false) node.append(child);
  return node;
}

/** A disclosure (<details>) whose summary is announced as a button that says whether it is open;
 * the app's stylesheet gives it a turning chevron. */
export function disclosure(label, { open = false, ...attrs } = {}, ...children) {
  return h("details", { ...attrs, open },
    h("summary", { role: "button", "aria-expanded": String(open) }, label), ...children);
}
// keeps aria-expanded true to every disclosure, those the templates write included
document.addEventListener("toggle", (event) => {
  const summary = event.target.querySelector?.(":scope > summary[aria-expanded]");
  summary?.setAttribute("aria-expanded", String(event.target.open));
}, true);

/** Runs a page's first load with its <main> marked aria-busy until what it shows is drawn, so a
 * screen reader waits for the page instead of reading a half-built one (and so do tests). */
export function runPage(load) {
  const main = document.querySelector("main");
  main?.setAttribute("aria-busy", "true");
  return Promise.resolve()
    .then(load)
    .finally(() => main?.removeAttribute("aria-busy"));
}

/** A day as every page writes it, "Thu 3 Dec" (dates.js; options `weekday`, `year`): a calendar
 * day as it is, a moment in the signed-in user's time zone. */
export function formatDay(value, options = {}) {
  return formatDate(value, { timeZone: state.me?.timezone, ...options });
}

/** "Thu 3 Dec, 07:30" in the signed-in user's time zone. */
export function formatWhen(value, options = {}) {
  return formatDateTime(value, { timeZone: state.me?.timezone, ...options });
}

/** The user's calendar date (YYYY-MM-DD) at `date` in their time zone, as the server counts days
 * and weeks (the browser's zone before anyone is signed in). */
export function localDate(date = new Date(), timeZone = state.me?.timezone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(date);
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Monday (YYYY-MM-DD) of the ISO week that holds the date `isoDate` (YYYY-MM-DD). */
export function mondayOf(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** Eleven large buttons 0-10 in `container` (a group with its own label); calls onPick(n). */
export function painScale(container, onPick, { selected = null } = {}) {
  container.replaceChildren();
  for (let n = 0; n <= 10; n += 1) {
    const button = h("button", { type: "button", "aria-pressed": String(n === selected), "aria-label": `${n} out of 10`, "data-value": n }, String(n));
    button.addEventListener("click", () => {
      $$("button", container).forEach((b) => b.setAttribute("aria-pressed", String(b === button && b.getAttribute("aria-pressed") !== "true")));
      onPick(button.getAttribute("aria-pressed") === "true" ? n : null);
    });
    container.append(button);
  }
}

export const state = { me: null, offline: false };
const syncLine = () => $("#sync");

async function renderSync(result) {
  const line = syncLine();
  if (!line || !state.me) return;
  const list = await outbox.entries(state.me.id);
  const waiting = list.filter((e) => e.state === "pending" || e.state === "auth");
  const failed = list.filter((e) => e.state === "failed");
  const parts = [];
  if (waiting.length) {
    const who = waiting.some((e) => e.state === "auth") || result?.needsSignIn;
    parts.push(h("span", { class: who ? "pill bad" : "pill" },
      who ? `${waiting.length} saved on this phone: sign in again to send them. ` : `${waiting.length} saved on this phone, not yet synced`,
      who ? h("a", { href: `/signin?next=${encodeURIComponent(location.pathname)}` }, "Sign in") : null));
  }
  if (failed.length) parts.push(h("span", { class: "pill bad" }, `${failed.length} not accepted by the server: `, h("a", { href: "/history" }, "see why")));
  if (!parts.length && list.some((e) => e.state === "synced" && Date.now() - Date.parse(e.synced_at) < 60_000)) {
    parts.push(h("span", { class: "pill ok" }, "All synced"));
  }
  if (state.offline) parts.unshift(h("span", { class: "pill" }, "Offline: showing what this phone saved"), " ");
  line.replaceChildren(...parts);
}

let timer = null;
export async function sync({ force = false } = {}) {
  if (!state.me) return null;
  const result = await outbox.flush(state.me.id, { force });
  clearTimeout(timer);
  const list = await outbox.entries(state.me.id);
  const due = list.filter((e) => e.state === "pending").map((e) => e.next_at);
  if (due.length) timer = setTimeout(() => sync(), Math.max(1000, Math.min(...due) - Date.now()));
  await renderSync(result);
  return result;
}

/**
 * Starts a page: resolves to the signed-in user, or sends the visitor to sign in (keeping where
 * they were). `needsUser: false` for the pages that work signed out.
 */
export async function boot({ needsUser = true } = {}) {
  outbox.onChange(() => renderSync());
  try {
    state.me = await api("GET", "auth/me");
    state.offline = Boolean(state.me.cachedAt);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      state.me = null;
      if (needsUser) location.replace(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
      return null;
    }
    if (error instanceof OfflineError) {
      state.offline = true;
      if (needsUser) {
        $("main").prepend(h("p", { class: "notice", role: "alert" }, "You are offline and this phone has nothing saved yet. Connect once and sign in."));
      }
      return null;
    }
    throw error;
  }
  await outbox.resume(state.me.id);
  window.addEventListener("online", () => { state.offline = false; sync({ force: true }); });
  window.addEventListener("offline", () => { state.offline = true; renderSync(); });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(); });
  navigator.serviceWorker?.addEventListener("message", (event) => { if (event.data?.type === "outbox") renderSync(); });
  if (navigator.serviceWorker && !navigator.serviceWorker.controller) {
    navigator.serviceWorker.addEventListener("controllerchange", warmCache, { once: true });
  }
  sync({ force: true });
  return state.me;
}

// The reads the offline pages make, exactly as they make them (the page table of the vocabulary):
// fetched again once the worker controls the page (its first visit), so the app opens offline
// with the user's data from then on.
async function warmCache() {
  const pages = (await vocabulary())?.pages || [];
  const reads = new Set(pages.filter((p) => p.offline).flatMap((p) => p.reads));
  await Promise.all([...reads].map((path) => fetch(`${BASE}${path}`, { credentials: "same-origin" }).catch(() => null)));
  document.dispatchEvent(new CustomEvent("h2k:warm"));
}

/** Reads an API answer, or null when offline with nothing saved (the page says so). */
export async function read(path) {
  try {
    const data = await api("GET", path);
    if (data?.cachedAt) { state.offline = true; renderSync(); }
    return data;
  } catch (error) {
    if (error instanceof OfflineError) return null;
    throw error;
  }
}

/** Plain safety words for the flags of the progress answer; red flags cannot be missed, and
 * say where to confirm that a clinician has seen the knee (`confirmLink: false` on that page). */
export function renderFlags(container, progress, { confirmLink = true } = {}) {
  container.replaceChildren();
  for (const flag of progress?.flags || []) {
    const red = flag.code === "red_flag";
    container.append(h("div", { class: red ? "alert" : "notice", role: red ? "alert" : null },
      red ? h("strong", {}, "See a clinician. ") : null, flag.message,
      red && confirmLink ? h("p", {}, h("a", { href: "/log#hold" }, "A clinician has seen my knee")) : null));
  }
}

/** The week-4 and week-8 milestones, in the words the progress answer gives. */
export function milestones(dl, progress) {
  const rows = [];
  for (const [key, label] of [["week4", "Week 4"], ["week8", "Week 8"]]) {
    const m = progress.milestones[key];
    rows.push(h("dt", {}, label), h("dd", {}, m ? m.message : `Not reached yet: rate your knee in that week to see the change since week 1.`));
  }
  dl.replaceChildren(...rows);
}
