// The exercise library: what each one works, how to do it, and what to watch for.
import { $, boot, h, read } from "../app.js";

async function main() {
  await boot({ needsUser: false });
  const exercises = (await read("exercises")) || [];
  const names = Object.fromEntries(exercises.map((e) => [e.slug, e.name]));
  $("#exercises").replaceChildren(...exercises.map((e) => h("section", { class: "card", "aria-labelledby": `x-${e.slug}` },
    h("h2", { id: `x-${e.slug}` }, e.name),
    h("p", { class: "muted small" }, `${e.muscles.join(", ")} · ${e.default_sets} × ${e.default_target}${e.unit === "seconds" ? " s" : e.unit === "steps" ? " steps" : ""}${e.per_side ? " each side" : ""}`),
    h("ul", {}, e.cues.map((c) => h("li", {}, c))),
    e.cautions.length ? h("p", { class: "small" }, h("strong", {}, "Careful: "), e.cautions.join(" ")) : null,
    e.easier || e.harder ? h("p", { class: "small muted" }, [e.easier ? `Easier: ${names[e.easier]}.` : "", e.harder ? ` Harder: ${names[e.harder]}.` : ""].join("")) : null)));
  if (!exercises.length) $("#exercises").append(h("p", { class: "notice" }, "Offline: connect once to load the library."));
}

main();
