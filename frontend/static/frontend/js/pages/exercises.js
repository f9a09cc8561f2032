// The exercise library: how each one is done (a drawing of the movement), its dose, what it
// works, and what to watch for; "Easier" and "Harder" lead to those exercises on this page. A
// jump list at the top leads to each kind of exercise and to each exercise; each card leads back.
import { $, boot, h, read, runPage } from "../app.js";
import { figure } from "../figure.js";
import { doseLine, restLine, bandAdvice } from "../dose.js";

const anchor = (slug) => `ex-${slug}`;
const CATEGORY_WORD = { strength: "Strength", mobility: "Mobility and stretches", soft_tissue: "Soft tissue" };
const categoryAnchor = (category) => `cat-${category}`;

function entry(e, names) {
  const link = (label, slug) => h("a", { href: `#${anchor(slug)}` }, `${label}: ${names[slug]}`);
  return h("section", { class: "card entry", id: anchor(e.slug), "aria-labelledby": `x-${e.slug}` },
    h("h3", { id: `x-${e.slug}` }, e.name),
    figure(e.slug),
    h("p", { class: "small" }, doseLine(e, { sets: e.default_sets, target: e.default_target })),
    h("p", { class: "muted small" }, [restLine(e), e.muscles.join(", ")].filter(Boolean).join(" · ")),
    h("ul", {}, e.cues.map((c) => h("li", {}, c))),
    bandAdvice(e) ? h("p", { class: "small" }, bandAdvice(e)) : null,
    e.cautions.length ? h("p", { class: "small" }, h("strong", {}, "Careful: "), e.cautions.join(" ")) : null,
    e.easier || e.harder
      ? h("p", { class: "small links" }, e.easier ? link("Easier", e.easier) : null, e.harder ? link("Harder", e.harder) : null)
      : null,
    h("p", { class: "small" }, h("a", { href: "#jump-h" }, "Back to the list")));
}

/** The exercises by kind, in the library's order: [[category, [exercise, ...]], ...] */
function byCategory(exercises) {
  const groups = new Map();
  for (const e of exercises) {
    if (!groups.has(e.category)) groups.set(e.category, []);
    groups.get(e.category).push(e);
  }
  return [...groups];
}

function jumpList(groups) {
  return h("nav", { class: "card jump", "aria-labelledby": "jump-h" },
    h("h2", { id: "jump-h" }, "Jump to an exercise"),
    groups.map(([category, list]) => [
      h("p", { class: "jump-kind" }, h("a", { href: `#${categoryAnchor(category)}` }, CATEGORY_WORD[category] || category)),
      h("ul", { class: "jump-links" }, list.map((e) => h("li", {}, h("a", { href: `#${anchor(e.slug)}` }, e.name))))]).flat());
}

async function main() {
  await boot({ needsUser: false });
  const exercises = (await read("exercises")) || [];
  const names = Object.fromEntries(exercises.map((e) => [e.slug, e.name]));
  const groups = byCategory(exercises);
  $("#exercises").replaceChildren(...(exercises.length ? [jumpList(groups)] : []),
    ...groups.map(([category, list]) => h("section", { id: categoryAnchor(category), "aria-labelledby": `${categoryAnchor(category)}-h` },
      h("h2", { id: `${categoryAnchor(category)}-h`, class: "category" }, CATEGORY_WORD[category] || category),
      list.map((e) => entry(e, names)))));
  if (!exercises.length) $("#exercises").append(h("p", { class: "notice" }, "Offline: connect once to load the library."));
  else if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

runPage(main);
