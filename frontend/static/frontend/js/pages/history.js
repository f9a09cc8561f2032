// History: what is on this phone (saved, waiting, or refused with the reason) and the sessions and
// check-ins on the server, newest first.
import { api, describe } from "../api.js";
import { $, boot, h, read, sync } from "../app.js";
import * as outbox from "../outbox.js";

const STATE_WORDS = { pending: "Saved on this phone, not yet synced", auth: "Saved on this phone: sign in again to send", failed: "Not accepted by the server", synced: "Synced" };
let me;
let offset = 0;

function when(iso) {
  return new Date(iso).toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

async function renderOutbox() {
  const list = await outbox.entries(me.id);
  $("#phone").hidden = !list.length;
  $("#outbox").replaceChildren(...list.reverse().map((entry) => h("li", { "data-state": entry.state },
    h("strong", {}, entry.label || entry.kind), " · ", when(entry.created_at), h("br"),
    h("span", { class: entry.state === "failed" ? "error" : "muted" }, STATE_WORDS[entry.state] + (entry.error ? `: ${entry.error}` : "")),
    entry.state === "failed"
      ? h("button", { type: "button", class: "quiet", "aria-label": `Remove ${entry.label || entry.kind} from this phone`,
          onclick: async () => { await outbox.discard(entry.client_id); renderOutbox(); } }, "Remove")
      : null)));
}

function sessionItem(session) {
  const byExercise = {};
  for (const set of session.sets) byExercise[set.exercise] = (byExercise[set.exercise] || 0) + 1;
  const summary = Object.entries(byExercise).map(([e, n]) => `${e.replace(/-/g, " ")} ×${n}`).join(", ");
  const pain = [session.pain_during != null ? `knee during ${session.pain_during}/10` : null,
    session.pain_next_morning != null ? `next morning ${session.pain_next_morning}/10` : null].filter(Boolean).join(", ");
  const item = h("li", {}, h("strong", {}, when(session.started_at)), ` · ${session.sets.length} sets`, h("br"),
    h("span", { class: "muted small" }, summary), pain ? h("span", { class: "small" }, h("br"), pain) : null,
    h("br"), h("button", { type: "button", class: "quiet", "aria-label": `Delete the session of ${when(session.started_at)}`,
      onclick: async () => {
        if (!confirm("Delete this session from your log?")) return;
        try { await api("DELETE", `sessions/${session.id}`); item.remove(); } catch (e) { alert(describe(e)); }
      } }, "Delete"));
  return item;
}

async function more() {
  const page = await read(`sessions?limit=20&offset=${offset}`);
  if (!page) return;
  offset += page.items.length;
  $("#sessions").append(...page.items.map(sessionItem));
  if (!page.count) $("#sessions").append(h("li", { class: "muted" }, "No sessions yet."));
  $("#more").hidden = offset >= page.count;
}

async function main() {
  me = await boot();
  if (!me) return;
  outbox.onChange(renderOutbox);
  await renderOutbox();
  $("#more").addEventListener("click", more);
  await more();
  const checkins = await read("checkins?limit=30");
  $("#checkins").replaceChildren(...(checkins?.items || []).map((c) => h("li", {},
    h("strong", {}, new Date(`${c.date}T12:00:00`).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" })),
    ` · knee ${c.pain}/10`, c.rest_day ? " · rest day" : "",
    c.red_flags.length ? h("span", { class: "error" }, ` · red flag: see a clinician`) : null)));
  if (!checkins?.items?.length) $("#checkins").append(h("li", { class: "muted" }, "No check-ins yet."));
  sync();
}

main();
