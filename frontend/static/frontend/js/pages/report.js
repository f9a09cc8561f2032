// The physiotherapist report: one printable page of sessions per week, the pain trend, the
// milestones, the flags and the loads used per exercise. The owner can create and revoke
// read-only share links; /report/shared#<token> shows the same page without an account.
import { api, ApiError, describe } from "../api.js";
import { $, boot, formatDay, h, milestones, read, renderFlags } from "../app.js";

const WEEKS = 12; // weeks up to this one, here and in a share link
const fmt = (n) => (n == null ? "–" : Number(n).toFixed(1));

function render(report) {
  const p = report.progress;
  $("#report-meta").textContent = `Generated ${new Date(report.generated_at).toLocaleString()} · time zone ${p.timezone} · target ${p.weekly_target} sessions a week · first-week pain ${fmt(p.baseline_pain)}/10 · ${p.streak_weeks} weeks on target in a row`;
  renderFlags($("#alerts"), p);
  $("#r-weeks tbody").replaceChildren(...p.weeks.map((w) => h("tr", {},
    h("th", { scope: "row" }, formatDay(w.week_start)), h("td", {}, `${w.sessions} / ${w.target}`), h("td", {}, fmt(w.pain_mean)),
    h("td", {}, w.pain_change_pct == null ? "–" : `${w.pain_change_pct > 0 ? "+" : ""}${fmt(w.pain_change_pct)}%`))));
  milestones($("#milestones"), p);
  $("#r-loads tbody").replaceChildren(...report.loads.map((l) => h("tr", {},
    h("th", { scope: "row" }, l.name), h("td", {}, String(l.sets)),
    h("td", {}, l.top_reps != null ? `${l.top_reps}` : l.top_seconds != null ? `${l.top_seconds} s` : "–"),
    h("td", {}, [l.top_band ? `${l.top_band} band` : null, l.top_load_kg != null ? `${l.top_load_kg} kg` : null].filter(Boolean).join(", ") || "–"),
    h("td", {}, formatDay(l.last_done)))));
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

async function main() {
  if (location.pathname === "/report/shared") {
    const token = location.hash.slice(1);
    try {
      render(await api("GET", `report/shared/${encodeURIComponent(token)}`));
    } catch (error) {
      $("main").replaceChildren(h("h1", {}, "Report"), h("p", { class: "notice" }, error instanceof ApiError && error.status === 404 ? "This link has expired or was revoked. Ask for a new one." : describe(error)));
    }
    return;
  }
  const me = await boot();
  if (!me) return;
  const report = await read(`report?weeks=${WEEKS}`);
  if (!report) { $("main").append(h("p", { class: "notice" }, "Offline, and this phone has no saved report yet.")); return; }
  render(report);
  $("#share").hidden = false;
  $("#print").addEventListener("click", () => window.print());
  $("#share-create").addEventListener("click", async () => {
    try {
      const share = await api("POST", "report/shares", { days: 30, weeks: WEEKS }); // the link shows what this page shows
      const url = `${location.origin}/report/shared#${share.token}`;
      $("#share-link").replaceChildren("Copy this link now (it is shown once): ", h("a", { href: url }, url));
      navigator.clipboard?.writeText(url).catch(() => {});
      shares();
    } catch (error) {
      $("#share-link").textContent = describe(error);
    }
  });
  shares();
}

main();
