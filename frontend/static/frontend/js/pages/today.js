// Today: this week's sessions against the target (what this phone still has to send counts too),
// the next routine, the next-morning knee check when due, and the safety words, red flags first.
import { $, boot, h, localDate, mondayOf, read, renderFlags, runPage } from "../app.js";
import { renderAdvice } from "../advice.js";
import { dateParts, formatDate } from "../dates.js";
import * as outbox from "../outbox.js";
import { flagsWith, redFlag } from "../safety.js";
import { proposedRoutine } from "../routines.js";
import { daysText, DAY_NAMES } from "../schedule.js";
import { setupCard } from "../setup.js";

async function main() {
  const me = await boot();
  if (!me) return;
  setupCard($("#setup"), me); // first run only: the weekly target, time zone and a reminder
  const [progress, recent, routines, exercises, reminders, queued] = await Promise.all([
    read("progress/weekly?weeks=2"),
    read("sessions?limit=5"),
    read("routines"),
    read("exercises"),
    read("reminders"),
    outbox.entries(me.id),
  ]);
  // this week as the server counts it: Monday to Sunday in the user's time zone
  const monday = mondayOf(localDate());
  const localThisWeek = queued.filter((e) => e.kind === "session" && e.state !== "synced"
    && localDate(new Date(e.body.started_at)) >= monday);
  // a red flag (from the server, or ticked on this phone and not yet sent) holds the plan: no
  // count to go, no streak or milestone, no "Start a session", until a clinician has seen the knee
  const red = await redFlag(progress, queued);
  const week = progress?.weeks?.at(-1);
  const target = progress?.weekly_target ?? me.weekly_target;
  const synced = week?.sessions ?? 0;
  const done = synced + localThisWeek.length;
  $("#week").textContent = `${done} of ${target} sessions`;
  $("#week-dots").replaceChildren(...Array.from({ length: Math.max(target, done) }, (_, i) =>
    h("span", { class: i < synced ? "done" : i < done ? "local" : "" })));
  const notes = [];
  if (localThisWeek.length) notes.push(`${localThisWeek.length} saved on this phone, not yet synced.`);
  if (done >= target) notes.push("Weekly target met.");
  else notes.push(`${target - done} to go this week. 2–4 short sessions a week is what the guidance recommends.`);
  if (progress?.streak_weeks) notes.push(`${progress.streak_weeks} ${progress.streak_weeks === 1 ? "week" : "weeks"} on target in a row.`);
  $("#week-note").textContent = notes.join(" ");
  if (red) {
    $("#week").textContent = "On hold";
    $("#week-dots").hidden = true;
    $("#week-note").textContent = [localThisWeek.length ? notes[0] : null,
      "Sessions are on hold until a clinician has seen your knee."].filter(Boolean).join(" ");
    $("#start-session").hidden = true;
  }
  const loggedToday = [...(recent?.items || []).map((s) => s.started_at), ...localThisWeek.map((e) => e.body.started_at)]
    .some((at) => localDate(new Date(at)) === localDate());
  const eased = (progress?.flags || []).length > 0; // an amber flag: no praise beside "ease off"
  $("#day-note").textContent = red ? "" : dayNote({ done, target, loggedToday, eased, reminders: reminders || [], timeZone: me.timezone });

  renderFlags($("#alerts"), { flags: flagsWith(red, progress) });

  const sessions = recent?.items || [];
  // the routine saved or used last (the server's), unless this phone has logged one since
  const queuedRoutine = queued.filter((e) => e.kind === "session" && e.state !== "synced").map((e) => e.body).reverse().find((s) => s.routine)?.routine;
  // the routine followed next: drawn again when advice applied here changes it (a copy made)
  const showNext = () => {
    const routine = (routines || []).find((r) => r.id === queuedRoutine) || proposedRoutine(routines || []);
    $("#next-routine").textContent = red
      ? "Hold the plan until a clinician has seen your knee."
      : routine ? `${routine.name}: ${routine.items.length} exercises.` : "Choose a routine on the Log page.";
    if (routine) $("#start-session").href = `/log?routine=${routine.id}&start=1`;
  };
  showNext();

  const lastSession = sessions[0];
  if (lastSession && lastSession.pain_next_morning == null) {
    const hours = (Date.now() - Date.parse(lastSession.started_at)) / 3.6e6;
    if (hours < 48 && localDate(new Date(lastSession.started_at)) !== localDate()) {
      $("#morning").hidden = false;
      $("#morning-link").href = `/checkin/morning?session=${lastSession.id}`;
    }
  }

  const list = $("#suggestions");
  const library = Object.fromEntries((exercises || []).map((e) => [e.slug, e]));
  const items = renderAdvice(progress?.suggestions || [], { routines: routines || [], library, onChange: showNext,
    say: (text) => { $("#advice-status").textContent = text; } });
  // the latest milestone reached: week 8's once there is one, else week 4's
  const milestone = progress?.milestones?.week8 || progress?.milestones?.week4;
  if (milestone?.message) items.push(h("li", {}, `Week ${progress.milestones.week8 ? 8 : 4}: ${milestone.message}`));
  // back from a red flag: the first two weeks after the clinician's go-ahead start gently
  const seen = progress?.clinician_seen;
  if (!red && seen && (Date.now() - Date.parse(seen.seen_at)) / 8.64e7 < 14) {
    items.unshift(h("li", { id: "back-gently" }, `A clinician has seen your knee (you confirmed it on ${formatDate(seen.date)}). Start gently: your usual dose or lighter, as they advised, and stop if pain rises. More is suggested only after two easy sessions since then.`));
  }
  if (red) items.splice(0, items.length, h("li", {}, "Keep rating your knee in the daily check-in; the plan waits for you."));
  if (!items.length) items.push(h("li", {}, "Log sessions and rate your knee; suggestions appear here after a few sessions."));
  list.replaceChildren(...items);
}

/** Whether today is a day for a session, and why: a rest day is never a day off the plan. */
function dayNote({ done, target, loggedToday, eased, reminders, timeZone }) {
  if (loggedToday) return eased ? "Today’s session is logged." : "Today’s session is logged. Well done.";
  const still = "You may still do a session today if you feel like it: it counts towards this week.";
  if (done >= target) {
    return `Today is a rest day: you have done this week’s ${target} ${target === 1 ? "session" : "sessions"}, and rest between sessions is part of the plan. ${still}`;
  }
  const days = [...new Set(reminders.filter((r) => r.kind !== "morning_check" && r.enabled).flatMap((r) => r.weekdays))].sort();
  if (!days.length) return "";
  const today = dateParts(new Date(), timeZone).weekday;
  if (days.includes(today)) return `Today is one of your session days (${daysText(days)}).`;
  return `Today is a rest day: ${DAY_NAMES[today]} is not one of the days you chose for reminders (${daysText(days)}). ${still}`;
}

runPage(main);
