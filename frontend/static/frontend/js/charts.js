// The charts and tables of Progress and of the physiotherapist report, from the progress answer.
// Weeks are counted from the first one ("Wk 1", "Wk 2", ...), with their dates in the tables and
// in the line a tap or hover on a chart writes below it. The target, the first week's pain and
// the meaningful-change band are drawn across the whole chart, so they show from week 1 on.
import uPlot from "../vendor/uplot-1.6.32/uPlot.esm.min.js";
import { formatDay, h } from "./app.js";
import { meaningfulThreshold } from "./vocabulary.js";

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Points keep one decimal: 4.25 -> "4.3". */
export const points = (n) => (n == null ? "–" : Number(n).toFixed(1));
/** A change as shown: one decimal, toward zero, so a change below a threshold never reads as it. */
export const changePoints = (n) => (n == null ? "–" : (Math.floor(Math.abs(n) * 10 + 1e-9) / 10).toFixed(1));

/** A change against week 1 in whole percent and words: -47.4 -> "47% less". */
export function percent(pct) {
  if (pct == null) return "–";
  const whole = Math.floor(Math.abs(pct) + 1e-9); // toward zero: 29.6% never reads as 30%
  if (whole === 0) return "same as week 1";
  return `${whole}% ${pct < 0 ? "less" : "more"}`;
}

export const weekLabel = (w) => `Wk ${w.week_number}`;
export const weekDate = (w) => formatDay(w.week_start, { weekday: false });
/** "Wk 3 (16 Nov)": the week's number and the date of its Monday. */
export const weekName = (w) => `${weekLabel(w)} (${weekDate(w)})`;

/** A table's week cell: "Wk 3" with the date of its Monday below it. */
export function weekCell(w) {
  return h("th", { scope: "row" }, weekLabel(w), h("span", { class: "visually-hidden" }, ", week of "),
    h("span", { class: "week-date" }, weekDate(w)));
}

/** Whether the week is on target, with the current week "in progress" until it ends. */
export function onTarget(w) {
  if (w.met) return "Yes";
  if (!w.complete) return "In progress";
  return w.rest_week ? "Rest week" : "No";
}

export const FUNCTION_QUESTIONS = [
  ["stairs", "On stairs"],
  ["sitting", "After sitting"],
  ["squatting", "Squatting"],
  ["walking", "Walking"],
];

function size(el) {
  return { width: Math.max(260, el.clientWidth), height: 220 };
}

function axes(weeks) {
  const stroke = css("--muted");
  const grid = { stroke: css("--line"), width: 1 };
  const byNumber = new Map(weeks.map((w) => [w.week_number, w]));
  return [
    {
      stroke, grid,
      splits: (u) => u.data[0],
      // every week when there is room, every other one (ending with the latest) when not
      values: (u, ticks) => ticks.map((t, i) => (ticks.length > 7 && (ticks.length - 1 - i) % 2 ? "" : byNumber.has(t) ? weekLabel(byNumber.get(t)) : "")),
    },
    { stroke, grid },
  ];
}

const padded = (u, min, max) => [min - 0.5, max + 0.5];

/** A level across the whole plot (a dashed line), drawn whatever the number of weeks. */
function level(u, value, color, dash) {
  if (value == null) return;
  const y = u.valToPos(value, "y", true);
  u.ctx.save();
  u.ctx.strokeStyle = color;
  u.ctx.lineWidth = 2 * devicePixelRatio;
  u.ctx.setLineDash(dash.map((d) => d * devicePixelRatio));
  u.ctx.beginPath();
  u.ctx.moveTo(u.bbox.left, y);
  u.ctx.lineTo(u.bbox.left + u.bbox.width, y);
  u.ctx.stroke();
  u.ctx.restore();
}

/** Weeks 4 and 8, the milestones, as marked vertical lines with their names. */
function milestoneMarks(u, weeks) {
  const shown = weeks.map((w) => w.week_number);
  u.ctx.save();
  u.ctx.strokeStyle = css("--accent");
  u.ctx.fillStyle = css("--text");
  u.ctx.lineWidth = 1.5 * devicePixelRatio;
  u.ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
  u.ctx.font = `600 ${12 * devicePixelRatio}px system-ui, sans-serif`;
  u.ctx.textAlign = "center";
  for (const n of [4, 8]) {
    if (!shown.includes(n)) continue;
    const x = u.valToPos(n, "x", true);
    u.ctx.beginPath();
    u.ctx.moveTo(x, u.bbox.top + 14 * devicePixelRatio);
    u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
    u.ctx.stroke();
    u.ctx.fillText(`Week ${n}`, x, u.bbox.top + 11 * devicePixelRatio);
  }
  u.ctx.restore();
}

/** Taps and hovers write the week's values in `note`; a tap on a touch screen moves the cursor. */
function explain(note, weeks, describe) {
  return {
    setCursor: [(u) => {
      const i = u.cursor.idx;
      if (i == null || weeks[i] == null) return;
      note.textContent = `${weekName(weeks[i])}: ${describe(weeks[i])}`;
    }],
    ready: [(u) => {
      u.over.addEventListener("pointerdown", (event) => {
        const box = u.over.getBoundingClientRect();
        u.setCursor({ left: event.clientX - box.left, top: event.clientY - box.top });
      });
    }],
  };
}

/** The legend as a key: a line's marker in its dash (app.css draws it as a short line). */
const KEY = {
  live: false,
  markers: { width: 3, dash: (u, i) => (!u.series[i].dash?.length ? "solid" : u.series[i].dash[0] <= 2 ? "dotted" : "dashed") },
};

function legendOnly(label, stroke, dash, value) {
  return { label, stroke, dash, width: 2, points: { show: false }, value };
}

export function sessionsChart(el, note, progress) {
  const weeks = progress.weeks;
  const target = progress.weekly_target;
  const accent = css("--accent");
  const max = Math.max(target + 1, ...weeks.map((w) => w.sessions + 1));
  const describe = (w) => `${w.sessions} of ${w.target} sessions. On target: ${onTarget(w).toLowerCase()}.`;
  const hooks = explain(note, weeks, describe);
  hooks.draw = [(u) => level(u, target, accent, [6, 4])];
  return new uPlot({
    ...size(el),
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    legend: KEY,
    scales: { x: { time: false, range: padded }, y: { range: [0, max] } },
    axes: axes(weeks),
    series: [
      { label: "Week", value: (u, n) => (n == null ? "" : weekName(weeks.find((w) => w.week_number === n) ?? weeks[0])) },
      { label: "Sessions", class: "key-bar", paths: uPlot.paths.bars({ size: [0.6, 40] }), fill: css("--brand"), stroke: css("--brand"), points: { show: false } },
      legendOnly("Target", accent, [6, 4], () => String(target)),
    ],
    hooks,
  }, [weeks.map((w) => w.week_number), weeks.map((w) => w.sessions), weeks.map(() => null)], el);
}

export function painChart(el, note, progress, vocab) {
  const weeks = progress.weeks;
  const baseline = progress.baseline_pain;
  const threshold = baseline == null || vocab == null ? null : meaningfulThreshold(vocab, baseline);
  const bandFill = css("--brand-soft");
  const muted = css("--muted");
  const change = (pct) => {
    if (pct == null) return "";
    return Math.floor(Math.abs(pct) + 1e-9) === 0 ? ", the same as week 1" : `, ${percent(pct)} than week 1`;
  };
  const describe = (w) => (w.pain_mean == null
    ? "no check-ins that week."
    : `mean knee pain ${points(w.pain_mean)} of 10${change(w.pain_change_pct)}.`);
  const hooks = explain(note, weeks, describe);
  hooks.drawClear = [(u) => {
    if (threshold == null) return;
    // the meaningful-improvement band: from the threshold down to 0
    const top = u.valToPos(threshold, "y", true);
    const bottom = u.valToPos(vocab.pain.min, "y", true);
    u.ctx.save();
    u.ctx.fillStyle = bandFill;
    u.ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
    u.ctx.restore();
  }];
  hooks.draw = [(u) => { level(u, baseline, muted, [6, 4]); milestoneMarks(u, weeks); }];
  const series = [
    { label: "Week", value: (u, n) => (n == null ? "" : weekName(weeks.find((w) => w.week_number === n) ?? weeks[0])) },
    { label: "Mean pain", stroke: css("--brand"), width: 3, spanGaps: true, points: { size: 8, fill: css("--brand") }, value: (u, v) => points(v) },
    legendOnly("Week 1", muted, [6, 4], () => points(baseline)),
  ];
  if (threshold != null) {
    series.push({ label: "Meaningful improvement (shaded band)", class: "key-band", fill: bandFill, stroke: css("--brand"), width: 1, points: { show: false },
      value: () => `${points(threshold)} or less` });
  }
  const data = [weeks.map((w) => w.week_number), weeks.map((w) => w.pain_mean), weeks.map(() => null)];
  if (threshold != null) data.push(weeks.map(() => null));
  return new uPlot({
    ...size(el),
    cursor: { drag: { x: false, y: false } },
    legend: KEY,
    scales: { x: { time: false, range: padded }, y: vocab ? { range: [vocab.pain.min, vocab.pain.max] } : {} },
    axes: axes(weeks),
    series,
    hooks,
  }, data, el);
}

const STYLES = [["--brand", []], ["--accent", [6, 4]], ["--danger", [2, 3]], ["--muted", [10, 3, 2, 3]]];

/** The function questions' weekly means on one small chart, one line each. */
export function functionChart(el, note, progress, vocab) {
  const weeks = progress.weeks;
  // only the questions answered at least once: a key with no line beside it reads as missing data
  const asked = FUNCTION_QUESTIONS.map(([key, label], i) => [key, label, i]).filter(([key]) => weeks.some((w) => w.function?.[key] != null));
  const describe = (w) => asked.map(([key, label]) => `${label.toLowerCase()} ${points(w.function[key])}`).join(", ") + ".";
  return new uPlot({
    ...size(el),
    cursor: { drag: { x: false, y: false } },
    legend: KEY,
    scales: { x: { time: false, range: padded }, y: vocab ? { range: [vocab.pain.min, vocab.pain.max] } : {} },
    axes: axes(weeks),
    series: [
      { label: "Week", value: (u, n) => (n == null ? "" : weekName(weeks.find((w) => w.week_number === n) ?? weeks[0])) },
      ...asked.map(([, label, i]) => ({ label, stroke: css(STYLES[i][0]), dash: STYLES[i][1], width: 2.5, spanGaps: true,
        points: { size: 6 }, value: (u, v) => points(v) })),
    ],
    hooks: explain(note, weeks, describe),
  }, [weeks.map((w) => w.week_number), ...asked.map(([key]) => weeks.map((w) => w.function[key]))], el);
}

export function hasFunctionAnswers(progress) {
  return progress.weeks.some((w) => FUNCTION_QUESTIONS.some(([key]) => w.function?.[key] != null));
}

/** The function answers as a table: a row per week, a column per question. */
export function functionRows(progress) {
  return progress.weeks.map((w) => h("tr", {},
    weekCell(w),
    ...FUNCTION_QUESTIONS.map(([key]) => h("td", {}, points(w.function?.[key])))));
}

/** Keeps each chart as wide as its box. */
export function keepSized(charts) {
  const observer = new ResizeObserver(() => charts.forEach(([chart, el]) => chart.setSize(size(el))));
  charts.forEach(([, el]) => observer.observe(el));
}
