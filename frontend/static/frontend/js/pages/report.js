// The physiotherapist report: a printable page (A4 or Letter) with a name line typed here, the
// sessions and knee-pain charts and tables, pain in everyday activities, the routine and the
// loads used, and the milestones in a clinician's words. The owner can create and revoke
// read-only share links ("Copy link", and "Share" where the browser has it);
// /report/shared#<token> shows the same page without an account, with the weeks the API gives.
import { api, ApiError, describe } from "../api.js";
import { $, boot, formatDay, formatWhen, h, read, renderFlags, runPage } from "../app.js";
import {
  changePoints, functionChart, functionRows, hasFunctionAnswers, keepSized, painChart, percent, points, sessionsChart, weekCell,
} from "../charts.js";
import { vocabulary } from "../vocabulary.js";

const NAME_KEY = "h2k:report-name";
const BLANK = "________________________________";
const WEEKS = 12; // weeks up to this one, here and in a share link

/** A milestone as a clinician would write it: the means, the change, and the threshold. */
function clinical(label, m, baseline) {
  if (!m) return [h("dt", {}, label), h("dd", {}, "Not reached, or no check-ins that week.")];
  const change = m.change_points == null ? "" : `; change ${m.change_points > 0 ? "+" : "−"}${changePoints(m.change_points)} points`
    + (m.pain_change_pct == null ? "" : ` (${m.pain_change_pct > 0 ? "+" : "−"}${Math.floor(Math.abs(m.pain_change_pct) + 1e-9)}%)`);
  const verdict = m.change_points == null ? ""
    : m.meaningful ? ". Meets the threshold for a meaningful improvement (≥ 2 points, or ≥ 30% that is also ≥ 1 point)."
      : ". Below the threshold for a meaningful change (≥ 2 points, or ≥ 30% that is also ≥ 1 point).";
  return [h("dt", {}, label),
    h("dd", {}, `Mean NRS ${points(m.pain_mean)}/10 in the week of ${formatDay(m.week_start)}, against a baseline of ${points(baseline)}/10${change}${verdict}`)];
}

/** Week 1's knee pain, which every later week is compared with: "not yet" only while week 1
 * has no rating. The baseline needs two check-ins (the first two when week 1 had one). */
function baselineText(p) {
  const week1 = p.weeks.find((w) => w.week_number === 1);
  if (p.baseline_pain != null) {
    const fromWeek1 = week1?.pain_mean != null && Math.abs(week1.pain_mean - p.baseline_pain) < 0.05;
    return fromWeek1 || !week1 ? `Mean NRS ${points(p.baseline_pain)}/10.`
      : `Mean NRS ${points(p.baseline_pain)}/10 (week 1 had one check-in: the first two check-ins).`;
  }
  if (week1?.pain_mean != null) {
    return `Mean NRS ${points(week1.pain_mean)}/10, from one check-in so far; changes against it are given once there is a second.`;
  }
  return "Not yet: no knee rating in week 1 so far. The first check-ins set it.";
}

function summary(p) {
  const complete = p.weeks.filter((w) => w.complete);
  const met = complete.filter((w) => w.met).length;
  const adherence = complete.length
    ? `${met} of ${complete.length} completed ${complete.length === 1 ? "week" : "weeks"} shown at the target of ${p.weekly_target} sessions; ${p.streak_weeks} in a row to date.`
    : `Target ${p.weekly_target} sessions a week; the first week is in progress.`;
  $("#r-summary").replaceChildren(
    h("dt", {}, "Week 1 (baseline)"), h("dd", {}, baselineText(p)),
    ...clinical("Week 4", p.milestones.week4, p.baseline_pain),
    ...clinical("Week 8", p.milestones.week8, p.baseline_pain),
    h("dt", {}, "Adherence"), h("dd", {}, adherence));
}

function routine(report) {
  const r = report.routine;
  $("#r-routine-name").textContent = r ? `The latest session followed “${r.name}”. Its plan as it stands today:` : "No session has followed a routine yet.";
  const unit = (i) => (i.unit === "seconds" ? " s" : i.unit === "steps" ? " steps" : "");
  $("#r-routine").replaceChildren(...(r?.items || []).map((i) => h("li", {}, `${i.name}: ${i.sets} × ${i.target}${unit(i)}${i.per_side ? " each side" : ""}`)));
}

async function render(report) {
  const p = report.progress;
  const zone = { timeZone: p.timezone };
  $("#report-meta").textContent = `Generated ${formatWhen(report.generated_at, { ...zone, year: true })} · time zone ${p.timezone} · ${p.weeks.length === 1 ? "week 1" : `weeks ${p.weeks[0].week_number} to ${p.weeks.at(-1).week_number}`} shown (from ${formatDay(p.weeks[0].week_start)})`;
  renderFlags($("#alerts"), p, { confirmLink: false });
  const longDay = (d) => formatDay(d, { year: true });
  $("#r-flags").replaceChildren(...(report.red_flags?.length
    ? report.red_flags.map((f) => h("li", {}, `${longDay(f.date)}: ${f.words.join("; ")}`))
    : [h("li", { class: "muted" }, "None in these weeks.")]));
  $("#report-seen").textContent = p.clinician_seen
    ? `Confirmed by the patient on ${formatDay(p.clinician_seen.date, { year: true })}: a clinician has seen the knee and they may exercise.`
    : "";
  summary(p);
  $("#r-weeks tbody").replaceChildren(...p.weeks.map((w) => h("tr", {},
    weekCell(w), h("td", {}, `${w.sessions} / ${w.target}${w.complete ? "" : " (in progress)"}`), h("td", {}, points(w.pain_mean)),
    h("td", {}, percent(w.pain_change_pct)))));
  $("#r-function tbody").replaceChildren(...functionRows(p));
  routine(report);
  $("#r-loads tbody").replaceChildren(...report.loads.map((l) => h("tr", {},
    h("th", { scope: "row" }, l.name), h("td", {}, String(l.sets)),
    h("td", {}, l.top_reps != null ? `${l.top_reps}` : l.top_seconds != null ? `${l.top_seconds} s` : "–"),
    h("td", {}, [l.top_band ? `${l.top_band} band` : null, l.top_load_kg != null ? `${l.top_load_kg} kg` : null].filter(Boolean).join(", ") || "–"),
    h("td", {}, formatDay(l.last_done, zone)))));
  const vocab = await vocabulary();
  const charts = [
    [sessionsChart($("#r-sessions-chart"), $("#r-sessions-note"), p), $("#r-sessions-chart")],
    [painChart($("#r-pain-chart"), $("#r-pain-note"), p, vocab), $("#r-pain-chart")],
  ];
  if (hasFunctionAnswers(p)) charts.push([functionChart($("#r-function-chart"), $("#r-function-note"), p, vocab), $("#r-function-chart")]);
  else { $("#r-function-empty").hidden = false; $("#r-function-chart").hidden = true; $("#r-function").closest(".table-scroll").hidden = true; }
  keepSized(charts);
}

/** The name line: typed here, printed at the top; kept on this phone only when asked. */
function nameLine({ canRemember }) {
  const input = $("#patient-name");
  const remember = $("#remember-name");
  const show = () => { $("#print-name").textContent = input.value.trim() || BLANK; };
  if (canRemember && remember) {
    const kept = localStorage.getItem(NAME_KEY);
    if (kept) { input.value = kept; remember.checked = true; }
    const keep = () => {
      if (remember.checked && input.value.trim()) localStorage.setItem(NAME_KEY, input.value.trim());
      else localStorage.removeItem(NAME_KEY);
    };
    remember.addEventListener("change", keep);
    input.addEventListener("change", keep);
  }
  input.addEventListener("input", show);
  show();
}

async function shares() {
  const list = (await read("report/shares")) || [];
  $("#shares").replaceChildren(...list.map((s) => {
    const live = !s.revoked_at && Date.parse(s.expires_at) > Date.now();
    return h("li", {}, `Link created ${formatDay(s.created_at)}: `,
      live ? `works until ${formatDay(s.expires_at)} ` : s.revoked_at ? "revoked" : "expired",
      live ? h("button", { type: "button", class: "quiet", "aria-label": `Revoke the link created ${formatDay(s.created_at)}`,
        onclick: async () => { await api("DELETE", `report/shares/${s.id}`); shares(); } }, "Revoke") : null);
  }));
}

function shareLink(url) {
  $("#share-new").hidden = false;
  $("#share-link").replaceChildren("Your link (shown only now: copy or share it): ", h("a", { href: url }, url));
  $("#share-status").textContent = "";
  $("#share-copy").onclick = async () => {
    try {
      await navigator.clipboard.writeText(url);
      $("#share-status").textContent = "Link copied. Paste it into a message or email to your physiotherapist.";
    } catch {
      getSelection()?.selectAllChildren($("#share-link a"));
      $("#share-status").textContent = "Could not copy here: the link is selected, copy it with your phone’s menu.";
    }
  };
  if (typeof navigator.share === "function") {
    $("#share-send").hidden = false;
    $("#share-send").onclick = () => navigator.share({ title: "Hip2Knee report", text: "My knee report from Hip2Knee (read-only):", url })
      .catch(() => {}); // closed without sharing
  }
}

async function main() {
  $("#print").hidden = false;
  $("#print").addEventListener("click", () => window.print());
  if (location.pathname === "/report/shared") {
    nameLine({ canRemember: false });
    const token = location.hash.slice(1);
    try {
      await render(await api("GET", `report/shared/${encodeURIComponent(token)}`));
    } catch (error) {
      $("main").replaceChildren(h("h1", {}, "Report"), h("p", { class: "notice" }, error instanceof ApiError && error.status === 404 ? "This link has expired or was revoked. Ask for a new one." : describe(error)));
    }
    return;
  }
  const me = await boot();
  if (!me) return;
  nameLine({ canRemember: true });
  const report = await read(`report?weeks=${WEEKS}`);
  if (!report) { $("main").append(h("p", { class: "notice" }, "Offline, and this phone has no saved report yet.")); return; }
  await render(report);
  $("#share").hidden = false;
  $("#share-create").addEventListener("click", async () => {
    try {
      const share = await api("POST", "report/shares", { days: 30, weeks: WEEKS }); // the link shows what this page shows
      shareLink(`${location.origin}/report/shared#${share.token}`);
      shares();
    } catch (error) {
      $("#share-new").hidden = false;
      $("#share-status").textContent = describe(error);
    }
  });
  shares();
}

runPage(main);
