// Progress: sessions per week against the target, weekly knee pain against the first week with
// the meaningful-change band, the week-4 and week-8 milestones, streak and habit score. Each chart
// has a table with the same figures for screen readers.
import uPlot from "../../vendor/uplot-1.6.32/uPlot.esm.min.js";
import { $, boot, formatDay, h, milestones, read, renderFlags } from "../app.js";
import { meaningfulThreshold, vocabulary } from "../vocabulary.js";

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const fmt = (n) => (n == null ? "–" : Number(n).toFixed(1));

function size(el) {
  return { width: Math.max(280, el.clientWidth), height: 220 };
}

function axes() {
  const stroke = css("--muted");
  const grid = { stroke: css("--line"), width: 1 };
  return [
    {
      stroke, grid,
      splits: (u) => u.data[0], // one tick per week, at its Monday
      values: (u, ticks) => ticks.map((t, i) => (ticks.length > 6 && (ticks.length - 1 - i) % 2 ? "" : formatDay(new Date(t * 1000).toISOString(), { day: "numeric", month: "short" }))),
    },
    { stroke, grid },
  ];
}

const HALF_WEEK = 3.5 * 86400;
/** Room for the first and last bars. */
function padded(u, min, max) {
  return [min - HALF_WEEK, max + HALF_WEEK];
}

function weekTimes(weeks) {
  return weeks.map((w) => Date.parse(`${w.week_start}T12:00:00Z`) / 1000);
}

function sessionsChart(el, progress) {
  const weeks = progress.weeks;
  const bars = uPlot.paths.bars({ size: [0.6, 40] });
  const max = Math.max(progress.weekly_target + 1, ...weeks.map((w) => w.sessions + 1));
  return new uPlot({
    ...size(el),
    legend: { live: false },
    scales: { x: { time: false, range: padded }, y: { range: [0, max] } },
    axes: axes(),
    series: [
      { label: "Week" , value: (u, t) => (t == null ? "" : formatDay(new Date(t * 1000).toISOString())) },
      { label: "Sessions", paths: bars, fill: css("--brand"), stroke: css("--brand"), points: { show: false } },
      { label: "Target", stroke: css("--accent"), width: 2, dash: [6, 4], points: { show: false } },
    ],
  }, [weekTimes(weeks), weeks.map((w) => w.sessions), weeks.map((w) => w.target)], el);
}

function painChart(el, progress, vocab) {
  const weeks = progress.weeks;
  const baseline = progress.baseline_pain;
  const threshold = baseline == null || vocab == null ? null : meaningfulThreshold(vocab, baseline);
  const bandFill = css("--brand-soft");
  return new uPlot({
    ...size(el),
    legend: { live: false },
    scales: { x: { time: false, range: padded }, y: vocab ? { range: [vocab.pain.min, vocab.pain.max] } : {} },
    axes: axes(),
    series: [
      { label: "Week", value: (u, t) => (t == null ? "" : formatDay(new Date(t * 1000).toISOString())) },
      { label: "Mean pain", stroke: css("--brand"), width: 3, spanGaps: true, points: { size: 7, fill: css("--brand") } },
      { label: "Week 1", stroke: css("--muted"), width: 1.5, dash: [6, 4], points: { show: false } },
    ],
    hooks: {
      drawClear: [(u) => {
        if (threshold == null) return;
        // the meaningful-improvement band: from the threshold down to 0
        const top = u.valToPos(threshold, "y", true);
        const bottom = u.valToPos(0, "y", true);
        u.ctx.save();
        u.ctx.fillStyle = bandFill;
        u.ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
        u.ctx.restore();
      }],
    },
  }, [weekTimes(weeks), weeks.map((w) => w.pain_mean), weeks.map(() => baseline)], el);
}

function tables(progress) {
  $("#sessions-table tbody").replaceChildren(...progress.weeks.map((w) => h("tr", {},
    h("th", { scope: "row" }, formatDay(w.week_start)), h("td", {}, String(w.sessions)), h("td", {}, String(w.target)),
    h("td", {}, w.met ? "Yes" : w.rest_week ? "Rest week" : "No"))));
  $("#pain-table tbody").replaceChildren(...progress.weeks.map((w) => h("tr", {},
    h("th", { scope: "row" }, formatDay(w.week_start)), h("td", {}, fmt(w.pain_mean)),
    h("td", {}, w.pain_change_pct == null ? "–" : `${w.pain_change_pct > 0 ? "+" : ""}${fmt(w.pain_change_pct)}%`))));
}

async function main() {
  const me = await boot();
  if (!me) return;
  const [progress, vocab] = await Promise.all([read("progress/weekly?weeks=12"), vocabulary()]);
  if (!progress) {
    $("main").append(h("p", { class: "notice" }, "Offline, and this phone has no saved progress yet."));
    return;
  }
  renderFlags($("#alerts"), progress);
  $("#streak").textContent = String(progress.streak_weeks);
  $("#score").textContent = String(Math.round(progress.habit_score));
  tables(progress);
  milestones($("#milestones"), progress);
  $("#helps").textContent = progress.helps?.message || "";
  const charts = [sessionsChart($("#sessions-chart"), progress), painChart($("#pain-chart"), progress, vocab)];
  const els = [$("#sessions-chart"), $("#pain-chart")];
  new ResizeObserver(() => charts.forEach((c, i) => c.setSize(size(els[i])))).observe($("main"));
}

main();
