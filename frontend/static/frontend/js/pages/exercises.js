// The exercise library: how each one is done (a drawing of the movement), its dose, what it
// works, and what to watch for; "Easier" and "Harder" lead to those exercises on this page.
import { $, boot, h, read, runPage } from "../app.js";
import { figure } from "../figure.js";
import { doseLine, restLine, bandAdvice } from "../dose.js";

const anchor = (slug) => `ex-${slug}`;

function entry(e, names) {
  const link = (label, slug) => h("a", { href: `#${anchor(slug)}` }, `${label}: ${names[slug]}`);
  return h("section", { class: "card", id: anchor(e.slug), "aria-labelledby": `x-${e.slug}` },
    h("h2", { id: `x-${e.slug}` }, e.name),
    figure(e.slug),
    h("p", { class: "small" }, doseLine(e, { sets: e.default_sets, target: e.default_target })),
    h("p", { class: "muted small" }, [restLine(e), e.muscles.join(", ")].filter(Boolean).join(" · ")),
    h("ul", {}, e.cues.map((c) => h("li", {}, c))),
    bandAdvice(e) ? h("p", { class: "small" }, bandAdvice(e)) : null,
    e.cautions.length ? h("p", { class: "small" }, h("strong", {}, "Careful: "), e.cautions.join(" ")) : null,
    e.easier || e.harder
      ? h("p", { class: "small links" }, e.easier ? link("Easier", e.easier) : null, e.harder ? link("Harder", e.harder) : null)
      : null);
}

async function main() {
  await boot({ needsUser: false });
  const exercises = (await read("exercises")) || [];
  const names = Object.fromEntries(exercises.map((e) => [e.slug, e.name]));
  $("#exercises").replaceChildren(...exercises.map((e) => entry(e, names)));
  if (!exercises.length) $("#exercises").append(h("p", { class: "notice" }, "Offline: connect once to load the library."));
  else if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

runPage(main);
