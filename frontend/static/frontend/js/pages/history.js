// History: what is on this phone and not yet on the server (saved, waiting, or refused with the
// reason), and the sessions and check-ins on the server, newest first. Each session opens to its
// sets and pain answers and can be edited or deleted; a deletion waits a few seconds for "Undo"
// before it is sent. A session saved on this phone shows once: on this phone until it is synced,
// then in the list (moved there without a reload), never in both.
import { api, BASE, csrfToken, describe } from "../api.js";
import { $, boot, formatDay, formatWhen, h, read, runPage, sync } from "../app.js";
import * as outbox from "../outbox.js";
import { vocabulary } from "../vocabulary.js";

const STATE_WORDS = { pending: "Saved on this phone, not yet synced", auth: "Saved on this phone: sign in again to send", failed: "Not accepted by the server" };
const UNDO_MS = 6000;
const SIDES = { left: "Left", right: "Right", both: "Both sides" };
let me;
let offset = 0;
let library = {}; // slug -> exercise
let bands = ["yellow", "red", "green", "blue", "black"];
const shown = new Map(); // session id -> its list item
const serverClientIds = new Set();

const when = (iso) => formatWhen(iso);

const exerciseName = (slug) => library[slug]?.name || slug.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase());

/** "12 reps, red band" / "30 s" / "20 steps, 5 kg" */
function amount(set) {
  const unit = library[set.exercise]?.unit === "steps" ? "steps" : "reps";
  return [set.reps != null ? `${set.reps} ${unit}` : null, set.seconds != null ? `${set.seconds} s` : null,
    set.band ? `${set.band} band` : null, set.load_kg != null ? `${set.load_kg} kg` : null,
    set.felt_in_knee ? "felt in the knee" : null].filter(Boolean).join(", ");
}

/** "Left: 12 reps"; a two-legged exercise (not per side) has no side to name: "10 reps". */
function setLine(set) {
  if (set.side === "both" && library[set.exercise]?.per_side === false) return amount(set);
  return `${SIDES[set.side] || set.side}: ${amount(set)}`;
}

// --- on this phone --------------------------------------------------------------------------
async function renderOutbox() {
  // synced entries are in the server's list; an entry the server already has (its answer was
  // lost on the way back) is there too: each session shows once
  const list = (await outbox.entries(me.id)).filter((e) => e.state !== "synced" && !serverClientIds.has(e.client_id));
  $("#phone").hidden = !list.length;
  $("#outbox").replaceChildren(...list.reverse().map((entry) => h("li", { "data-state": entry.state, "data-client-id": entry.client_id },
    h("strong", {}, entry.label || entry.kind), " · ", when(entry.body?.started_at || entry.created_at), h("br"),
    h("span", { class: entry.state === "failed" ? "error" : "muted" }, STATE_WORDS[entry.state] + (entry.error ? `: ${entry.error}` : "")),
    entry.state === "failed"
      ? h("button", { type: "button", class: "quiet", "aria-label": `Remove ${entry.label || entry.kind} from this phone`,
          onclick: async () => { await outbox.discard(entry.client_id); renderOutbox(); } }, "Remove")
      : null)));
}

/** An entry of this phone reached the server: its session moves into the list. */
async function arrived(detail) {
  if (detail?.type === "synced" && detail.client_id) {
    const entry = (await outbox.entries(me.id)).find((e) => e.client_id === detail.client_id);
    if (entry?.kind === "session" && entry.server_id != null && !shown.has(entry.server_id)) {
      try {
        place(await api("GET", `sessions/${entry.server_id}`));
      } catch { /* offline again: the next page load shows it */ }
    }
    if (entry?.kind === "checkin") renderCheckins();
  }
  await renderOutbox();
}

// --- the server's sessions -----------------------------------------------------------------
/** Puts a session's item in the list, newest first, once. */
function place(session) {
  serverClientIds.add(session.client_id);
  const existing = shown.get(session.id);
  const item = sessionItem(session);
  if (existing) { existing.replaceWith(item); shown.set(session.id, item); return; }
  shown.set(session.id, item);
  $("#sessions .empty")?.remove();
  const later = [...$("#sessions").children].find((li) => li.dataset.startedAt && li.dataset.startedAt < session.started_at);
  $("#sessions").insertBefore(item, later || null);
}

function sessionView(session) {
  const groups = [];
  for (const set of session.sets) {
    const last = groups.at(-1);
    if (last && last.exercise === set.exercise) last.sets.push(set);
    else groups.push({ exercise: set.exercise, sets: [set] });
  }
  const pain = (value) => (value == null ? "not answered" : `${value} out of 10`);
  return h("div", { class: "session-body" },
    groups.length ? groups.map((g) => h("div", {},
      h("h3", {}, exerciseName(g.exercise)),
      h("ol", { class: "session-sets" }, g.sets.map((s) => h("li", {}, setLine(s))))))
      : h("p", { class: "muted" }, "No sets in this session."),
    h("dl", { class: "milestones" },
      h("dt", {}, "Knee pain during the session"), h("dd", {}, pain(session.pain_during)),
      h("dt", {}, "Knee pain the next morning"), h("dd", {}, pain(session.pain_next_morning)),
      session.notes ? [h("dt", {}, "Notes"), h("dd", { class: "wrap" }, session.notes)] : null));
}

function painSelect(id, value) {
  const select = h("select", { id }, h("option", { value: "" }, "Not answered"),
    Array.from({ length: 11 }, (_, n) => h("option", { value: n }, `${n} out of 10`)));
  select.value = value == null ? "" : String(value);
  return select;
}

function numberInput(id, value, { min = 0, max, step = 1 } = {}) {
  return h("input", { id, type: "number", inputmode: step === 1 ? "numeric" : "decimal", min, max, step, value: value ?? "" });
}

/** The edit form: each set's side, reps or seconds, band, load and whether it was felt in the
 * knee; pain answers; notes. */
function sessionEditor(session, { onSaved, onCancel }) {
  const key = `s${session.id}`;
  const rows = session.sets.map((set, i) => ({ set: { ...set }, removed: false, i }));
  const setList = h("div", {});
  function renderSets() {
    setList.replaceChildren(...rows.filter((r) => !r.removed).map((row, k) => {
      const { set, i } = row;
      const name = exerciseName(set.exercise);
      const id = `${key}-${i}`;
      const side = h("select", { id: `${id}-side` }, ["left", "right", "both"].map((s) => h("option", { value: s }, SIDES[s])));
      side.value = set.side;
      side.addEventListener("change", () => { set.side = side.value; });
      const timed = set.seconds != null && set.reps == null;
      const count = numberInput(`${id}-count`, timed ? set.seconds : set.reps, { min: 1, max: timed ? 3600 : 1000 });
      count.addEventListener("input", () => { const n = count.value === "" ? null : Number(count.value); if (timed) set.seconds = n; else set.reps = n; });
      const band = h("select", { id: `${id}-band` }, h("option", { value: "" }, "No band"), bands.map((b) => h("option", { value: b }, `${b} band`)));
      band.value = set.band || "";
      band.addEventListener("change", () => { set.band = band.value || null; });
      const load = numberInput(`${id}-load`, set.load_kg, { min: 0, max: 500, step: 0.5 });
      load.addEventListener("input", () => { set.load_kg = load.value === "" ? null : Number(load.value); });
      const felt = h("input", { type: "checkbox", id: `${id}-felt` });
      felt.checked = Boolean(set.felt_in_knee);
      felt.addEventListener("change", () => { set.felt_in_knee = felt.checked; });
      const label = `set ${k + 1}, ${name}`;
      return h("div", { class: "edit-set", role: "group", "aria-label": `Set ${k + 1}: ${name}` },
        h("p", {}, h("strong", {}, `${k + 1}. ${name}`)),
        h("div", {}, h("label", { for: `${id}-side` }, "Side"), side),
        h("div", {}, h("label", { for: `${id}-count` }, timed ? "Seconds" : library[set.exercise]?.unit === "steps" ? "Steps" : "Reps"), count),
        h("div", {}, h("label", { for: `${id}-band` }, "Band"), band),
        h("div", {}, h("label", { for: `${id}-load` }, "Load (kg)"), load),
        h("div", { class: "full" }, h("label", { class: "check", for: `${id}-felt` }, felt, " Felt it in the knee")),
        h("div", { class: "full" }, h("button", { type: "button", class: "quiet", "aria-label": `Remove ${label}`,
          onclick: () => { row.removed = true; renderSets(); } }, "Remove this set")));
    }));
  }
  renderSets();
  const during = painSelect(`${key}-during`, session.pain_during);
  const morning = painSelect(`${key}-morning`, session.pain_next_morning);
  const notes = h("textarea", { id: `${key}-notes`, rows: 3, maxlength: 2000 });
  notes.value = session.notes || "";
  const error = h("p", { class: "error", role: "alert" });
  const save = h("button", { type: "submit", class: "primary" }, "Save changes");
  const form = h("form", { novalidate: true, "aria-label": `Edit the session of ${when(session.started_at)}` },
    h("h3", {}, "Sets"), setList,
    h("label", { for: `${key}-during` }, "Knee pain during the session"), during,
    h("label", { for: `${key}-morning` }, "Knee pain the next morning"), morning,
    h("label", { for: `${key}-notes` }, "Notes"), notes,
    error,
    h("div", { class: "row" }, save, h("button", { type: "button", onclick: onCancel }, "Cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const sets = rows.filter((r) => !r.removed).map(({ set }) => {
      const out = { exercise: set.exercise, side: set.side, felt_in_knee: Boolean(set.felt_in_knee) };
      for (const field of ["reps", "seconds", "band", "load_kg"]) if (set[field] != null && !Number.isNaN(set[field])) out[field] = set[field];
      return out;
    });
    const body = {
      sets,
      pain_during: during.value === "" ? null : Number(during.value),
      pain_next_morning: morning.value === "" ? null : Number(morning.value),
      notes: notes.value,
    };
    save.disabled = true;
    try {
      onSaved(await api("PATCH", `sessions/${session.id}`, body));
    } catch (e) {
      error.textContent = describe(e);
      save.disabled = false;
    }
  });
  return form;
}

function sessionItem(session) {
  const title = when(session.started_at);
  const painShort = session.pain_during != null ? ` · knee pain ${session.pain_during}/10` : "";
  const body = h("div", { class: "session-open" });
  const details = h("details", {}, h("summary", { class: "session-summary" },
    h("span", {}, h("strong", {}, title), h("span", { class: "muted small block" }, `${session.sets.length} ${session.sets.length === 1 ? "set" : "sets"}${painShort}`))), body);
  const item = h("li", { "data-session-id": session.id, "data-started-at": session.started_at }, details);
  const view = () => {
    body.replaceChildren(sessionView(session), h("div", { class: "row" },
      h("button", { type: "button", "aria-label": `Edit the session of ${title}`, onclick: edit }, "Edit"),
      h("button", { type: "button", class: "danger", "aria-label": `Delete the session of ${title}`, onclick: () => remove(session, item) }, "Delete")));
  };
  const edit = () => {
    body.replaceChildren(sessionEditor(session, {
      onSaved: (updated) => { const fresh = sessionItem(updated); fresh.querySelector("details").open = true; item.replaceWith(fresh); shown.set(updated.id, fresh); $("#history-status").textContent = "Changes saved."; fresh.querySelector("summary").focus(); },
      onCancel: view,
    }));
    body.querySelector("select, input")?.focus();
  };
  view();
  return item;
}

// --- delete, with a few seconds to undo ------------------------------------------------------
let pending = null; // {session, item, timer}

function sendDelete(sessionId, { keepalive = false } = {}) {
  if (keepalive) {
    // the page is going away: the request outlives it
    csrfToken().then((token) => fetch(`${BASE}sessions/${sessionId}`, { method: "DELETE", keepalive: true, credentials: "same-origin", headers: { "X-CSRFToken": token } }));
    return Promise.resolve();
  }
  return api("DELETE", `sessions/${sessionId}`);
}

async function commit({ keepalive = false } = {}) {
  if (!pending) return;
  const { session, item, timer } = pending;
  pending = null;
  clearTimeout(timer);
  $("#undo").hidden = true;
  try {
    await sendDelete(session.id, { keepalive });
    item.remove();
    shown.delete(session.id);
    if (!keepalive) $("#history-status").textContent = "Session deleted.";
  } catch (e) {
    item.hidden = false; // not deleted: it stays, and the reason is shown
    $("#history-status").textContent = `Not deleted: ${describe(e)}`;
  }
}

async function remove(session, item) {
  await commit(); // one at a time: an earlier deletion goes now
  item.hidden = true;
  $("#undo-text").textContent = `Session of ${when(session.started_at)} deleted.`;
  $("#undo").hidden = false;
  $("#undo button").focus();
  pending = { session, item, timer: setTimeout(() => commit(), UNDO_MS) };
}

function undo() {
  if (!pending) return;
  const { item, timer, session } = pending;
  clearTimeout(timer);
  pending = null;
  $("#undo").hidden = true;
  item.hidden = false;
  $("#history-status").textContent = `The session of ${when(session.started_at)} is back.`;
  item.querySelector("summary")?.focus();
}

// --- lists ----------------------------------------------------------------------------------
async function more() {
  const page = await read(`sessions?limit=20&offset=${offset}`);
  if (!page) return;
  offset += page.items.length;
  page.items.forEach(place);
  if (!page.count) $("#sessions").append(h("li", { class: "muted empty" }, "No sessions yet."));
  $("#more").hidden = offset >= page.count;
}

async function renderCheckins() {
  const checkins = await read("checkins?limit=30");
  $("#checkins").replaceChildren(...(checkins?.items || []).map((c) => h("li", {},
    h("strong", {}, formatDay(c.date)),
    ` · knee ${c.pain}/10`, c.rest_day ? " · rest day" : "",
    [["stairs", "stairs"], ["sitting", "after sitting"], ["squatting", "squatting"], ["walking", "walking"]]
      .filter(([k]) => c[k] != null).map(([k, words]) => ` · ${words} ${c[k]}/10`).join(""),
    c.red_flags.length ? h("span", { class: "error" }, " · red flag reported") : null)));
  if (!checkins?.items?.length) $("#checkins").append(h("li", { class: "muted" }, "No check-ins yet."));
}

async function main() {
  me = await boot();
  if (!me) return;
  outbox.onChange(arrived); // from now on, whatever syncs moves into the list
  const [exercises, vocab] = await Promise.all([read("exercises"), vocabulary()]);
  library = Object.fromEntries((exercises || []).map((e) => [e.slug, e]));
  if (vocab?.bands) bands = vocab.bands;
  $("#undo button").addEventListener("click", undo);
  window.addEventListener("pagehide", () => commit({ keepalive: true }));
  $("#more").addEventListener("click", more);
  await more();
  // sent in the moments before the list was read: in the list now, once
  const recent = (await outbox.entries(me.id)).filter((e) => e.kind === "session" && e.state === "synced"
    && e.server_id != null && !shown.has(e.server_id) && Date.now() - Date.parse(e.synced_at) < 10 * 60_000);
  for (const entry of recent) await arrived({ type: "synced", client_id: entry.client_id });
  await renderOutbox();
  await renderCheckins();
  sync();
}

runPage(main);
