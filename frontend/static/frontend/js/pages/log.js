// Log: pick a routine -> Start session -> one card per exercise, one tap on "Log set" records
// exactly one set as shown -> knee pain during -> Finish session. The session in progress lives
// on this phone (IndexedDB) from the first tap, so a reload, a dead battery or no signal loses
// nothing; Finish puts it in the outbox, which sends it once. This module paints the picker; the
// cards (session.js) load with the first session, the red-flag hold (clearance.js) only while a
// red flag is up, so the first load carries neither.
import { $, boot, h, read, runPage } from "../app.js";
import { say } from "../dock.js";
import * as outbox from "../outbox.js";
import { redFlag } from "../safety.js";
import { proposedRoutine } from "../routines.js";
import { vocabulary } from "../vocabulary.js";

let facts = null; // {me, library, routines, bands}: what the session's cards need

/** What Log needs to paint: the library, the routines, the bands, the red flag that holds the
 * plan (if one is up) and the routine of the newest session this phone has not sent yet. */
async function loadFacts(me) {
  const [exercises, routineList, queued, vocab, progress] = await Promise.all([
    read("exercises"),
    read("routines"),
    outbox.entries(me.id),
    vocabulary(),
    read("progress/weekly?weeks=2"),
  ]);
  const red = await redFlag(progress, queued);
  facts = {
    me,
    library: Object.fromEntries((exercises || []).map((e) => [e.slug, e])),
    routines: routineList || [],
    bands: vocab?.bands || [],
  };
  // a session this phone has not sent yet is newer than what the server proposes
  const lastRoutine = queued.filter((e) => e.kind === "session" && e.state !== "synced").map((e) => e.body.routine).filter(Boolean).at(-1);
  return { red, lastRoutine };
}

function routineById(id) {
  return facts.routines.find((r) => r.id === Number(id));
}

function describeRoutine(routine) {
  return routine.items.map((item) => facts.library[item.exercise]?.name || item.exercise).join(", ");
}

async function openSession(draft, options) {
  const { openSession: open } = await import("../session.js");
  await open(facts, draft, options);
}

async function start() {
  const routine = routineById($("#routine").value);
  if (!routine || $("#start").disabled) return null;
  $("#start").disabled = true; // one session per tap, while its cards load

  const draft = {
    owner: facts.me.id,
    client_id: outbox.newClientId(),
    started_at: new Date().toISOString(),
    routine: routine.id,
    sets: [],
    pain_during: null,
    notes: "",
  };
  await outbox.putDraft(draft);
  try {
    await openSession(draft);
  } finally {
    $("#start").disabled = false;
  }
  $("#doing-h").focus?.();
  return routine;
}

async function main() {
  const me = await boot();
  if (!me) return;
  const { red, lastRoutine } = await loadFacts(me);
  const { routines } = facts;
  const asked = new URLSearchParams(location.search);
  const select = $("#routine");
  select.replaceChildren(...routines.map((r) => h("option", { value: String(r.id) }, r.starter ? `${r.name} (starter)` : r.name)));
  const chosen = routineById(asked.get("routine")) || routineById(lastRoutine) || proposedRoutine(routines);
  select.value = String(chosen?.id || "");
  const describe = () => { $("#routine-items").textContent = routineById(select.value) ? describeRoutine(routineById(select.value)) : ""; };
  select.addEventListener("change", describe);
  describe();
  $("#start").addEventListener("click", start);
  $("#start").disabled = !routines.length;
  if (!routines.length) {
    say("Connect once to load the routines; after that, logging works offline.", { keep: true });
  }
  const draft = await outbox.getDraft(me.id);
  if (draft) {
    await openSession(draft, { redFlag: red });
    if (!red) say("Carrying on with the session you started.");
  } else if (red) {
    (await import("../clearance.js")).holdUntilSeen(me, red);
  } else if (asked.has("start") && routines.length) {
    const routine = await start(); // one tap from Today: straight into the session of the routine it proposed
    say(`Session started: ${routine?.name || "your routine"}. Change routine if you want another.`);
  }
  if (asked.has("start") || asked.has("routine")) history.replaceState(null, "", location.pathname);
}

runPage(main);
