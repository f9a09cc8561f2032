// Progress: sessions per week against the target, weekly knee pain against the first week with
// the meaningful-change band and weeks 4 and 8 marked, pain in everyday activities, the week-4
// and week-8 milestones, streak and habit score. Each chart has a table with the same figures.
import { $, boot, h, milestones, read, renderFlags, runPage } from "../app.js";
import {
  functionChart, functionRows, hasFunctionAnswers, keepSized, onTarget, painChart, percent, points, sessionsChart, weekCell,
} from "../charts.js";
import * as outbox from "../outbox.js";
import { flagsWith, redFlag } from "../safety.js";
import { vocabulary } from "../vocabulary.js";

function tables(progress) {
  $("#sessions-table tbody").replaceChildren(...progress.weeks.map((w) => h("tr", {},
    weekCell(w), h("td", {}, String(w.sessions)), h("td", {}, String(w.target)),
    h("td", {}, onTarget(w)))));
  $("#pain-table tbody").replaceChildren(...progress.weeks.map((w) => h("tr", {},
    weekCell(w), h("td", {}, points(w.pain_mean)), h("td", {}, percent(w.pain_change_pct)))));
  $("#function-table tbody").replaceChildren(...functionRows(progress));
}

// What the habit score means where it is shown: the Loop-style score (rules/progress.py) of a
// user at their target every week is about 15 after one week, 50 after three to four, and 80 or
// more after six to eight, whatever the target of 2 to 4.
const SCORE_SCALE = "The habit score builds over weeks of regular sessions: a week at your target brings it to about 15, three to four weeks to about 50, and six to eight weeks to 80 or more, a habit that holds.";

function habitNote(progress) {
  const weeks = progress.weeks;
  if (weeks.length === 1 && !weeks[0].complete) {
    return `Your first week is in progress: a low habit score is where everyone starts. ${SCORE_SCALE} A week counts towards the streak once it ends at your target.`;
  }
  return `${SCORE_SCALE} It eases down slowly after a missed week and never drops on the rest days you mark in the check-in.`;
}

async function main() {
  const me = await boot();
  if (!me) return;
  const [progress, vocab] = await Promise.all([read("progress/weekly?weeks=12"), vocabulary()]);
  if (!progress) {
    $("main").append(h("p", { class: "notice" }, "Offline, and this phone has no saved progress yet."));
    return;
  }
  // a red flag holds the plan: the figures stay, the streak and the score's encouragement wait
  const red = await redFlag(progress, await outbox.entries(me.id));
  renderFlags($("#alerts"), { flags: flagsWith(red, progress) });
  $("#streak").textContent = String(progress.streak_weeks);
  $("#score").textContent = String(Math.round(progress.habit_score));
  $("#habit-note").textContent = habitNote(progress);
  if (red) {
    $("#habit-stats").hidden = true;
    $("#habit-note").textContent = "On hold until a clinician has seen your knee: your streak and habit score wait for you. Your figures are below.";
  }
  tables(progress);
  // a red flag ticked on this phone and not yet sent: the server's words still encourage
  const held = (m) => (m && red ? { ...m, message: m.message.replace(/\s*Keep going[^.]*\./, "") } : m);
  milestones($("#milestones"), { ...progress, milestones: { week4: held(progress.milestones.week4), week8: held(progress.milestones.week8) } });
  $("#helps").textContent = progress.helps?.message || "";
  const charts = [
    [sessionsChart($("#sessions-chart"), $("#sessions-note"), progress), $("#sessions-chart")],
    [painChart($("#pain-chart"), $("#pain-note"), progress, vocab), $("#pain-chart")],
  ];
  if (hasFunctionAnswers(progress)) {
    charts.push([functionChart($("#function-chart"), $("#function-note"), progress, vocab), $("#function-chart")]);
  } else {
    $("#function-empty").hidden = false;
    $("#function-chart").hidden = true;
    $("#function-details").hidden = true;
  }
  keepSized(charts);
}

runPage(main);
