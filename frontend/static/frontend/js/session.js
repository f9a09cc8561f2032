// The session in progress on Log: one card per exercise (what was done last time, "How to",
// sides, hold and rest timers, one tap on "Log set" per set), knee pain during, Finish. Loaded
// with the first session the page opens, so choosing a routine does not weigh it; the service
// worker keeps it for offline use like every module.
import { $, disclosure, formatDay, h, painScale, read, renderFlags, sync } from "./app.js";
import { keepRoom, say } from "./dock.js";
import { bandAdvice, doseLine, restLine } from "./dose.js";
import { ACCEPTABLE_MAX, FORM_CUE, sessionPainAnswer, setGuidance } from "./guidance.js";
import * as outbox from "./outbox.js";

const FOLD_CUES_AFTER = 2; // sessions of an exercise: its "How to" starts folded after these
const UNIT_WORD = { reps: "Reps", seconds: "Seconds", steps: "Steps" };

let me;
let library = {};
let routines = [];
let bands = []; // lightest first
let draft = null;
let last = {}; // "exercise|side" -> the last set logged, to prefill
let lastTime = {}; // exercise -> {started_at, sets} of the newest session that has it
let sessionsOf = {}; // exercise -> how many sessions have it
let history = null; // the sessions above, read once with the first session opened
let held = null; // a red flag raised while this session was open: it stops, is kept, none starts

function lastKey(exercise, side) {
  return `${exercise}|${side}`;
}

function rememberSets(sets) {
  for (const set of sets) {
    const key = lastKey(set.exercise, set.side);
    if (!last[key]) last[key] = set;
    if (!last[lastKey(set.exercise, "any")]) last[lastKey(set.exercise, "any")] = set;
  }
}

/** What was done before, to prefill each card: the sessions this phone holds that the server's
 * answer does not (not sent yet; newest first), then the server's newest. A session the phone
 * sent is the server's from then on: the outbox keeps the copy it sent, which an edit in History
 * does not change, so it is read once, as the server has it. */
async function loadHistory() {
  const [recent, queued] = await Promise.all([read("sessions?limit=20"), outbox.entries(me.id)]);
  const onServer = recent?.items || [];
  const known = new Set(onServer.map((session) => session.client_id));
  // a sent copy counts only when newer than the answer read (a kept answer, offline): an older
  // one is on the server below these 20, or was deleted in History
  const newest = onServer[0]?.started_at;
  const localSessions = queued
    .filter((e) => e.kind === "session" && !known.has(e.body.client_id)
      && (e.state !== "synced" || !newest || Date.parse(e.body.started_at) > Date.parse(newest)))
    .map((e) => e.body).reverse(); // newest first
  for (const session of [...localSessions, ...onServer]) {
    rememberSets([...session.sets].reverse());
    for (const exercise of new Set(session.sets.map((set) => set.exercise))) {
      sessionsOf[exercise] = (sessionsOf[exercise] || 0) + 1;
      lastTime[exercise] ||= { started_at: session.started_at, sets: session.sets.filter((set) => set.exercise === exercise) };
    }
  }
}

function routineById(id) {
  return routines.find((r) => r.id === Number(id));
}

async function save() {
  await outbox.putDraft(draft);
}

function setText(set, exercise) {
  const amount = set.reps != null ? `${set.reps} ${exercise.unit === "steps" ? "steps" : "reps"}` : `${set.seconds} s`;
  const side = set.side === "both" ? "" : `, ${set.side} side`; // "10 reps, left side", never "10 reps left"
  const extra = [set.band ? `${set.band} band` : null, set.load_kg != null ? `${set.load_kg} kg` : null, set.felt_in_knee ? "felt in knee" : null].filter(Boolean);
  return `${amount}${side}${extra.length ? ` · ${extra.join(" · ")}` : ""}`;
}

/** "Last time (Mon 30 Nov): 3 × 10 each side, red band": the sets of the newest session that
 * had this exercise, as logged (reps that differ are listed). */
function lastTimeText(exercise) {
  const previous = lastTime[exercise.slug];
  if (!previous) return "";
  const sets = previous.sets;
  const sides = sets.some((set) => set.side !== "both");
  const count = sides
    ? Math.max(...["left", "right"].map((side) => sets.filter((set) => set.side === side).length))
    : sets.length;
  const amounts = sets.filter((set) => !sides || set.side === sets[0].side).map((set) => set.reps ?? set.seconds);
  const unit = exercise.unit === "seconds" ? " s" : exercise.unit === "steps" ? " steps" : "";
  const amount = new Set(amounts).size === 1 ? `${count} × ${amounts[0]}${unit}` : `${amounts.join(", ")}${unit}`;
  const newest = sets.at(-1);
  const extra = [newest.band ? `${newest.band} band` : null, newest.load_kg != null ? `${newest.load_kg} kg` : null].filter(Boolean);
  const day = formatDay(previous.started_at.slice(0, 10));
  return `Last time (${day}): ${amount}${sides ? " each side" : ""}${extra.length ? `, ${extra.join(", ")}` : ""}`;
}

// --- timers ------------------------------------------------------------------------------
// The rest bar sits in the dock above the tab bar (dock.js), which keeps the page clear of it.
let restTimer = null;
function startRest(seconds) {
  clearInterval(restTimer);
  const bar = $("#rest");
  const left = $("#rest-left");
  let remaining = seconds;
  const show = () => { left.textContent = `Rest ${remaining} s`; };
  show();
  bar.hidden = false;
  keepRoom();
  restTimer = setInterval(() => {
    remaining -= 1;
    if (remaining <= 0) {
      stopRest();
      navigator.vibrate?.(200);
      say("Rest over: next set when you are ready.");
    } else show();
  }, 1000);
}
function stopRest() {
  clearInterval(restTimer);
  $("#rest").hidden = true;
  keepRoom();
}

function holdTimer(seconds, display, onDone) {
  let remaining = seconds;
  display.textContent = `${remaining} s`;
  const id = setInterval(() => {
    remaining -= 1;
    display.textContent = `${Math.max(remaining, 0)} s`;
    if (remaining <= 0) {
      clearInterval(id);
      navigator.vibrate?.([150, 80, 150]);
      onDone();
    }
  }, 1000);
  return () => clearInterval(id);
}

// --- one card per exercise -----------------------------------------------------------------
function card(item, index) {
  const exercise = library[item.exercise] || { slug: item.exercise, name: item.exercise, unit: "reps", cues: [], cautions: [], category: "strength" };
  const perSide = item.per_side;
  const timed = exercise.unit === "seconds";
  const id = `ex${index}`;
  let side = perSide ? "left" : "both";
  let editing = null; // index in draft.sets of the set being edited

  const prior = last[lastKey(item.exercise, side)] || last[lastKey(item.exercise, "any")];
  // the routine's dose when the person raised it after the last session (advice applied, say):
  // otherwise what was done last time. A starter changes only with the app.
  const routine = routineById(draft.routine);
  const before = lastTime[item.exercise]?.started_at;
  const planNewer = Boolean(routine && !routine.starter && before && Date.parse(routine.updated_at) > Date.parse(before));
  const done = timed ? prior?.seconds : prior?.reps;
  // only a dose raised since then: reps built up above an unchanged plan stay as they were
  const amount = h("input", { id: `${id}-amount`, type: "number", inputmode: "numeric", min: "1", max: timed ? "3600" : "1000",
    value: String(planNewer && done != null && item.target > done ? item.target : done ?? item.target) });
  const bandSelect = h("select", { id: `${id}-band` }, h("option", { value: "" }, "No band"),
    bands.map((b) => h("option", { value: b }, `${b[0].toUpperCase()}${b.slice(1)}`)));
  // the routine's band (advice applied) unless a heavier one was used last time; never done:
  // the band the exercise starts with, where it uses one
  const usual = prior ? prior.band : exercise.starting_band;
  bandSelect.value = [item.band, usual].filter(Boolean).sort((a, b) => bands.indexOf(b) - bands.indexOf(a))[0] || "";
  const load = h("input", { id: `${id}-load`, type: "number", inputmode: "decimal", min: "0", max: "500", step: "0.5", value: prior?.load_kg ?? "" });
  const felt = h("input", { type: "checkbox", id: `${id}-felt` });
  const guidance = h("p", { class: "guidance", role: "status", "aria-live": "polite" });
  const list = h("ol", { class: "sets", "aria-label": `Sets of ${exercise.name}` });
  const counter = h("span", { class: "dose" });
  const logButton = h("button", { type: "button", class: "primary logbtn" }, "Log set");
  logButton.setAttribute("aria-label", `Log set of ${exercise.name}`);

  const sideButtons = perSide
    ? ["left", "right"].map((s) => h("button", { type: "button", "aria-pressed": String(s === side), "data-side": s,
        "aria-label": `${s === "left" ? "Left" : "Right"} side, ${exercise.name}` }, s === "left" ? "Left" : "Right"))
    : [];
  function chooseSide(next) {
    side = next;
    sideButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.side === side)));
  }
  sideButtons.forEach((b) => b.addEventListener("click", () => chooseSide(b.dataset.side)));
  // a session opened again goes on with the side that has fewer sets (left after a whole pair)
  if (perSide) {
    const sides = draft.sets.filter((s) => s.exercise === item.exercise && s.card === index).map((s) => s.side);
    if (sides.filter((s) => s === "left").length > sides.filter((s) => s === "right").length) chooseSide("right");
  }

  function step(delta) {
    amount.value = String(Math.max(1, (Number(amount.value) || 0) + delta));
  }

  function explain() {
    const easier = exercise.easier ? library[exercise.easier] : null;
    const answer = setGuidance({ exerciseName: exercise.name, easierSlug: easier?.slug, easierName: easier?.name,
      feltInKnee: felt.checked, painDuring: draft.pain_during, formCue: Boolean(exercise.cues?.includes(FORM_CUE)), unit: exercise.unit });
    guidance.textContent = felt.checked || answer.action !== "continue" ? answer.message : "";
    return answer;
  }
  felt.addEventListener("change", explain);

  function ours() {
    return draft.sets.map((s, i) => [s, i]).filter(([s]) => s.exercise === item.exercise && s.card === index);
  }

  function render() {
    const done = ours();
    // one side at a time: a set of 3×10 each side is counted per side, as the dose says it
    const onSide = (s) => done.filter(([set]) => set.side === s).length;
    counter.textContent = perSide
      ? `Left ${onSide("left")} of ${item.sets} · Right ${onSide("right")} of ${item.sets} sets`
      : `${done.length} of ${item.sets} sets`;
    list.replaceChildren(...done.map(([set, i], n) => h("li", {},
      h("span", {}, `${n + 1}. ${setText(set, exercise)}`),
      h("span", {},
        held ? null : h("button", { type: "button", class: "quiet", "aria-label": `Edit set ${n + 1} of ${exercise.name}`, onclick: () => edit(i) }, "Edit"),
        h("button", { type: "button", class: "quiet", "aria-label": `Remove set ${n + 1} of ${exercise.name}`, onclick: () => remove(i) }, "Remove")))));
    logButton.disabled = Boolean(held); // a red flag stopped the session: nothing more is logged
    logButton.textContent = editing == null ? "Log set" : `Save set`;
    logButton.setAttribute("aria-label", editing == null ? `Log set of ${exercise.name}` : `Save changes to the set of ${exercise.name}`);
    updateProgress();
  }

  function current() {
    const value = Math.round(Number(amount.value));
    if (!Number.isFinite(value) || value < 1) return null;
    const strength = exercise.category === "strength";
    const loadValue = load.value === "" ? null : Number(load.value);
    return {
      exercise: item.exercise, card: index, side,
      reps: timed ? null : value, seconds: timed ? value : null,
      band: strength && bandSelect.value ? bandSelect.value : null,
      load_kg: strength && loadValue != null && Number.isFinite(loadValue) ? Math.round(loadValue * 100) / 100 : null, // kept to 0.01 kg
      felt_in_knee: felt.checked,
    };
  }

  async function logSet() {
    const set = current();
    if (!set) { say(`Enter the ${UNIT_WORD[exercise.unit].toLowerCase()} first (1 or more).`); amount.focus(); return; }
    let message;
    if (editing != null) {
      draft.sets[editing] = set;
      editing = null;
      message = `Set of ${exercise.name} changed.`;
    } else {
      draft.sets.push(set);
      message = `Logged: ${exercise.name}, ${setText(set, exercise)}. Saved on this phone.`;
      // a set of a one-sided exercise is both sides: no rest between them, only after the pair
      const done = ours().map(([s]) => s.side);
      const pairDone = !perSide || done.filter((s) => s === "left").length === done.filter((s) => s === "right").length;
      if (perSide) chooseSide(side === "left" ? "right" : "left");
      if (pairDone && exercise.rest_seconds) {
        startRest(exercise.rest_seconds);
        logButton.scrollIntoView({ block: "nearest" });
      } else if (!pairDone) {
        message += ` Now the ${side} side, no rest between sides.`;
      }
    }
    const answer = set.felt_in_knee ? explain() : null;
    felt.checked = false;
    if (!answer) guidance.textContent = "";
    await save();
    render();
    say(message); // announced once the list shows it
  }
  logButton.addEventListener("click", logSet);

  function edit(i) {
    const set = draft.sets[i];
    editing = i;
    amount.value = String(set.reps ?? set.seconds);
    bandSelect.value = set.band || "";
    load.value = set.load_kg ?? "";
    felt.checked = set.felt_in_knee;
    if (perSide) chooseSide(set.side);
    render();
    amount.focus();
  }

  async function remove(i) {
    draft.sets.splice(i, 1);
    editing = null;
    await save();
    render();
    say(`Set of ${exercise.name} removed.`);
  }

  const hold = timed
    ? (() => {
        const display = h("span", { class: "timer", role: "timer", "aria-live": "off" });
        let stop = null;
        const button = h("button", { type: "button", "aria-label": `Start hold timer for ${exercise.name}` }, "Start hold");
        button.addEventListener("click", () => {
          if (stop) { stop(); stop = null; button.textContent = "Start hold"; display.textContent = ""; return; }
          button.textContent = "Stop";
          stop = holdTimer(Number(amount.value) || item.target, display, () => {
            stop = null;
            button.textContent = "Start hold";
            say(`Hold done: tap “Log set” to record ${amount.value} s of ${exercise.name}.`);
          });
        });
        return h("p", { class: "row" }, button, display);
      })()
    : null;

  const unitLabel = UNIT_WORD[exercise.unit];
  const previously = lastTimeText(exercise);
  // how it is done: open for the first sessions of an exercise, folded once it is familiar
  const drawing = h("div", { class: "drawing" });
  const howTo = disclosure("How to", { class: "howto", open: (sessionsOf[item.exercise] || 0) < FOLD_CUES_AFTER },
    drawing,
    exercise.cues?.length ? h("ul", { class: "cues" }, exercise.cues.map((c) => h("li", {}, c))) : null,
    restLine(exercise) ? h("p", { class: "muted small" }, restLine(exercise)) : null,
    bandAdvice(exercise) ? h("p", { class: "small" }, bandAdvice(exercise)) : null);
  // the drawing's module loads with the first "How to" opened, so a session of familiar
  // exercises does not weigh it (the worker keeps it for offline use)
  const draw = () => {
    if (!howTo.open || drawing.childElementCount) return;
    import("./figure.js").then(({ figure }) => {
      if (!drawing.childElementCount) drawing.append(figure(item.exercise) || "");
    });
  };
  howTo.addEventListener("toggle", draw);
  draw();
  const node = h("section", { class: "card exercise", "aria-labelledby": `${id}-h` },
    h("header", {}, h("h3", { id: `${id}-h` }, exercise.name), counter),
    h("p", { class: "muted small" }, doseLine(exercise, { sets: item.sets, target: item.target, perSide })),
    previously ? h("p", { class: "small lasttime" }, previously) : null,
    howTo,
    exercise.cautions?.length ? disclosure("Cautions", {}, h("ul", { class: "cues" }, exercise.cautions.map((c) => h("li", {}, c)))) : null,
    perSide ? h("div", { class: "sides", role: "group", "aria-label": `Side for ${exercise.name}` }, sideButtons) : null,
    h("div", { class: "stepper" },
      h("div", {}, h("label", { for: `${id}-amount` }, unitLabel), amount),
      h("button", { type: "button", "aria-label": `Fewer ${unitLabel.toLowerCase()}`, onclick: () => step(timed ? -5 : -1) }, "−"),
      h("button", { type: "button", "aria-label": `More ${unitLabel.toLowerCase()}`, onclick: () => step(timed ? 5 : 1) }, "+")),
    exercise.category === "strength"
      ? h("div", { class: "row" },
          h("div", {}, h("label", { for: `${id}-band` }, "Band"), bandSelect),
          h("div", {}, h("label", { for: `${id}-load` }, "Weight (kg)"), load))
      : null,
    hold,
    h("label", { class: "check", for: `${id}-felt` }, felt, "Felt it in the knee"),
    guidance,
    logButton,
    list);
  render();
  return node;
}

function updateProgress() {
  const total = draft.sets.length;
  $("#progress-line").textContent = `${total} ${total === 1 ? "set" : "sets"} logged · saved on this phone as you go`;
}

// --- the flow ------------------------------------------------------------------------------
function showSession() {
  $("#pick").hidden = true;
  $("#doing").hidden = false;
  const routine = routineById(draft.routine);
  $("#doing-h").textContent = routine ? routine.name : "Your session";
  const items = (routine ? routine.items : []).map((item, i) => [item, i]);
  const warmup = items.filter(([item]) => item.warmup);
  const main = items.filter(([item]) => !item.warmup);
  const group = (title, list) => (list.length ? [h("h3", { class: "group" }, title), ...list.map(([item, i]) => card(item, i))] : []);
  $("#cards").replaceChildren(...(warmup.length
    ? [...group("Warm-up", warmup), ...group("Main work", main)]
    : main.map(([item, i]) => card(item, i))));
  // this session's own answer only: nothing of the last one lingers
  $("#pain-answer").textContent = draft.pain_during == null ? ""
    : setGuidance({ exerciseName: "this exercise", painDuring: draft.pain_during }).message;
  painScale($("#pain-during"), async (value) => {
    draft.pain_during = value;
    await save();
    $("#pain-answer").textContent = value == null ? "" : sessionPainAnswer(value);
  }, { selected: draft.pain_during });
  $("#notes").value = draft.notes || "";
  updateProgress();
}

async function finish() {
  if (!draft.sets.length) {
    say("No sets logged yet. Log at least one set, or discard the session.");
    return;
  }
  draft.notes = $("#notes").value.trim().slice(0, 2000);
  const body = {
    client_id: draft.client_id,
    started_at: draft.started_at,
    routine: draft.routine,
    sets: draft.sets.map(({ card: _card, ...set }) => set),
    pain_during: draft.pain_during,
    notes: draft.notes,
  };
  const routine = routineById(draft.routine);
  await outbox.enqueue({ owner: me.id, kind: "session", path: "sessions", body,
    label: `${routine ? routine.name : "Session"}, ${body.sets.length} sets` });
  await outbox.dropDraft(me.id);
  draft = null;
  $("#pain-answer").textContent = "";
  const stopped = held;
  await closeSession();
  say(`Session saved on this phone (${body.sets.length} sets). It syncs as soon as there is a connection.`, { keep: true });
  await sync({ force: true });
  // no praise for a session that hurt too much: what to change next time stays in view instead
  // (its pain answer goes with the card the session closes)
  const after = stopped ? " See a clinician before the next one."
    : body.pain_during > ACCEPTABLE_MAX ? ` ${sessionPainAnswer(body.pain_during)}` : " Well done.";
  if (await outbox.isSynced(me.id, body.client_id)) say(`Session saved and synced (${body.sets.length} sets).${after}`, { keep: true });
}

async function discardSession() {
  if (!confirm("Discard this session and its sets?")) return;
  await outbox.dropDraft(me.id);
  draft = null;
  await closeSession();
  say("Session discarded.");
}

async function changeRoutine() {
  if (draft.sets.length) {
    say("This session has sets logged: finish it, or discard it, to start another routine.");
    return;
  }
  outbox.dropDraft(me.id);
  draft = null;
  await closeSession();
  if (held) return; // the hold, not the picker
  $("#routine").focus();
  say("Choose a routine, then Start session.");
}

function wire() {
  $("#finish").addEventListener("click", finish);
  $("#discard").addEventListener("click", discardSession);
  $("#notes").addEventListener("change", async () => { if (draft) { draft.notes = $("#notes").value; await save(); } });
  $("#rest-skip").addEventListener("click", stopRest);
  $("#change-routine").addEventListener("click", changeRoutine);
}

/** Shows `current` (a draft kept on this phone) as cards; `facts` are what Log has read:
 * {me, library, routines, bands}. */
export async function openSession(facts, current, { redFlag = null } = {}) {
  ({ me, library, routines, bands } = facts);
  if (!history) {
    history = loadHistory();
    wire();
  }
  await history;
  draft = current;
  held = redFlag;
  showSession();
  if (held) stopForRedFlag();
}

/** A session in progress when a red flag is up (reported since it started, on this phone or
 * another): the notice above it says to stop, no more sets are logged, and Finish keeps the
 * sets already done. */
function stopForRedFlag() {
  const notice = h("div", { id: "session-stop" });
  renderFlags(notice, { flags: [held] }, { confirmLink: false });
  notice.querySelector(".alert")?.append(h("p", {}, "Stop this session here. Tap “Finish session” to keep the sets you did."));
  $("#session-stop")?.remove();
  $("#doing-h").after(notice);
  $("#change-routine").hidden = true;
  say("Stop here: a red flag is up. Finish the session to keep what you did.", { keep: true });
}

/** After a session ends: the routine picker, or the hold while a red flag is up. */
async function closeSession() {
  stopRest();
  $("#doing").hidden = true;
  $("#session-stop")?.remove();
  $("#change-routine").hidden = false;
  if (held) (await import("./clearance.js")).holdUntilSeen(me, held);
  else $("#pick").hidden = false;
}
