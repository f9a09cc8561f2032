// The daily knee check-in: worst knee pain in the last 24 h, optional pain on stairs, after
// sitting, squatting and walking, rest day, red flags (answered at once with "see a clinician"),
// and the hip-related knee pain self-check as information. Saved on this phone, then synced; a
// second check-in for the same day updates the first on the server (and says so before it is
// sent), and a red flag reported that day stays.
import { $, $$, boot, formatDay, localDate, painScale, read, runPage, sync } from "../app.js";
import * as outbox from "../outbox.js";
import { vocabulary } from "../vocabulary.js";

// The worst pain of a whole day is not pain during exercise: the exercise limit ("above 5")
// does not apply to it. A day this sore gets a word of its own, never an order to ease off.
const SORE_DAY = 7;
const answers = {};

async function main() {
  const me = await boot();
  if (!me) return;
  vocabulary(); // asked for now, to be at hand when the check-in is saved
  $("#date").value = localDate();
  $("#date").max = localDate();
  // the day in the words every page uses (the date field writes it as the phone's settings say)
  const dayWords = () => {
    const day = $("#date").value;
    $("#date-words").textContent = day ? `${formatDay(day)}${day === localDate() ? " (today)" : ""}` : "";
  };
  $("#date").addEventListener("input", dayWords);
  dayWords();
  // the days already answered (the last 30), so a second check-in of a day says it updates it
  const answered = new Map(((await read("checkins?limit=30"))?.items || []).map((c) => [c.date, c]));
  // and those this phone holds that the server has not had yet (offline), over the server's
  for (const e of (await outbox.entries(me.id)).filter((x) => x.kind === "checkin" && x.state !== "synced")) {
    const before = answered.get(e.body.date);
    answered.set(e.body.date, { ...before, ...e.body, red_flags: [...new Set([...(before?.red_flags || []), ...(e.body.red_flags || [])])] });
  }
  const noteAnswered = () => {
    const earlier = answered.get($("#date").value);
    $("#date-note").hidden = !earlier;
    $("#date-note").textContent = !earlier ? ""
      : `You already checked in on this day (knee pain ${earlier.pain} of 10). Saving again changes the answers you give here; those you leave out stay as they were${earlier.red_flags.length ? ", and the red flag you reported that day stays" : ""}.`;
  };
  // a day already answered starts from its answers, so saving again (to add a red flag, say)
  // keeps them instead of asking for them anew
  const scales = () => {
    const earlier = answered.get($("#date").value);
    $$(".pain-scale[data-field]").forEach((group) => {
      const field = group.dataset.field;
      answers[field] = earlier?.[field] ?? null;
      painScale(group, (value) => { answers[field] = value; }, { selected: answers[field] });
    });
    $("#rest_day").checked = Boolean(earlier?.rest_day);
  };
  $("#date").addEventListener("change", () => { noteAnswered(); scales(); });
  noteAnswered();
  scales();
  const flags = $$('input[name="red_flags"]');
  flags.forEach((box) => box.addEventListener("change", () => { $("#redflag-note").hidden = !flags.some((b) => b.checked); }));
  const self = $$('input[name="sc"]');
  self.forEach((box) => box.addEventListener("change", () => {
    const n = self.filter((b) => b.checked).length;
    $("#selfcheck-answer").textContent = n === 0 ? ""
      : `${n} of 5 signs. Any one of them is often seen when the hips play a part in knee pain, which is what this plan works on, and is worth asking a physiotherapist about. This is information, not a diagnosis: a physiotherapist can examine you.`;
  }));

  $("#checkin").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#pain-error").textContent = "";
    $("#date-error").textContent = "";
    const date = $("#date").value;
    // a refusal is said where it is fixed and beside the button, where the person is looking
    const refuse = (field, words, status, focus) => {
      $(`#${field}-error`).textContent = words;
      $("#checkin-status").textContent = `Not saved yet: ${status}`;
      focus.focus();
    };
    if (answers.pain == null) {
      refuse("pain", "Tap how bad the knee pain was (0–10).", "tap the worst knee pain (0–10) near the top of the page, then save again.", $('.pain-scale[data-field="pain"] button'));
      return;
    }
    if (!date || date > localDate()) { refuse("date", "Choose today or an earlier day.", "choose today or an earlier day at the top of the page.", $("#date")); return; }
    const body = { client_id: outbox.newClientId(), date, pain: answers.pain, rest_day: $("#rest_day").checked,
      red_flags: flags.filter((b) => b.checked).map((b) => b.value) };
    for (const field of ["stairs", "sitting", "squatting", "walking"]) if (answers[field] != null) body[field] = answers[field];
    await outbox.enqueue({ owner: me.id, kind: "checkin", path: "checkins", body, label: `Knee check-in ${formatDay(date)}, pain ${body.pain}/10` });
    const status = $("#checkin-status");
    const advice = body.red_flags.length
      ? " See a clinician before you exercise on this knee. The plan waits until you confirm, on the Log page, that one has seen it."
      : body.pain >= SORE_DAY ? " A sore day. If the knee stays this sore for several days, or keeps getting worse, see a physiotherapist." : "";
    const updated = answered.has(date) ? "That day's check-in is updated. " : "";
    status.textContent = `${updated}Saved on this phone.${advice}`;
    if (body.red_flags.length) $("#redflag-next").textContent = "Saved: the plan waits until you confirm, on the Log page, that one has seen it.";
    await sync({ force: true });
    if (await outbox.isSynced(me.id, body.client_id)) status.textContent = `${updated}Saved and synced.${advice}`;
    answered.set(date, { ...answered.get(date), ...body, red_flags: [...new Set([...(answered.get(date)?.red_flags || []), ...body.red_flags])] });
    noteAnswered();
  });
  $("#checkin button[type=submit]").disabled = false;
}

runPage(main);
