// Routines: the starters (read-only: "Make my own copy") and the user's own, which can be renamed,
// reordered, given a warm-up, extended from the whole library and saved, or deleted after asking.
// A copy is made only when it is saved: "Make my own copy" opens the editor on the starter's
// items, and Cancel leaves nothing behind. Reading works offline from what this phone last saw;
// changing a routine needs a connection. Each message shows where the person is looking: the
// results of Save, Delete and Cancel above the list, brought into view; the editor's beside its
// buttons; never under the tab bar.
import { api, describe, OfflineError } from "../api.js";
import { $, boot, h, read, runPage, state } from "../app.js";
import { targetLabel } from "../dose.js";
import { copyName, itemBody, saveOwnCopy } from "../routines.js";
import { vocabulary } from "../vocabulary.js";

const CATEGORY_WORD = { strength: "Strength", mobility: "Mobility", soft_tissue: "Soft tissue" };

let library = {};
let routines = [];
let bands = []; // lightest first
let editing = null; // {id, copyOf, name, items} while the editor is open (id null: a copy not yet saved)
const OFFLINE = "you are offline, and changing a routine needs a connection. Try again once you are online.";

/** Shows `text` in the status line `where` (above the list by default; "#editor-status" under
 * the editor's heading; "#save-status" or, for an error, "#save-error" beside Save) and, with
 * `show`, brings it into view, clear of the tab bar (the page's scroll padding). */
function say(text, where = "#routines-status", { show = true } = {}) {
  for (const line of ["#routines-status", "#save-status", "#save-error"]) {
    if (line !== where) $(line).textContent = "";
  }
  const line = $(where);
  line.textContent = text;
  if (show && text && !line.closest("[hidden]")) line.scrollIntoView({ block: "nearest" });
}
// a change inside the editor: said beside Save, where the person goes next, without moving the page
const sayInEditor = (text) => say(text, "#save-status", { show: false });
const failed = (error) => (error instanceof OfflineError ? OFFLINE : describe(error));
const nameOf = (slug) => library[slug]?.name || slug;

function dose(item) {
  const unit = library[item.exercise]?.unit;
  const amount = unit === "seconds" ? `${item.target} s` : unit === "steps" ? `${item.target} steps` : `${item.target}`;
  return `${item.sets} × ${amount}${item.per_side ? " each side" : ""}${item.band ? `, ${item.band} band` : ""}`;
}

function itemList(items, label) {
  return items.length ? [h("h3", {}, label), h("ul", { class: "plain small" }, items.map((i) => h("li", {}, `${nameOf(i.exercise)}: ${dose(i)}`)))] : [];
}

function renderList() {
  $("#routines").replaceChildren(...routines.map((r) => {
    const id = `r${r.id}`;
    const actions = r.starter
      ? [h("button", { type: "button", "aria-label": `Make my own copy of ${r.name}`, onclick: () => copy(r) }, "Make my own copy")]
      : [h("button", { type: "button", "aria-label": `Edit ${r.name}`, onclick: () => openEditor(r) }, "Edit"),
         h("button", { type: "button", class: "danger", "aria-label": `Delete ${r.name}`, onclick: () => remove(r) }, "Delete")];
    return h("section", { class: "card routine", "aria-labelledby": id },
      h("h2", { id }, r.name),
      h("p", { class: "muted small" }, [r.starter ? "Starter routine (read-only)" : "Your routine", r.proposed ? " · next up on Today" : ""].join("")),
      ...itemList(r.items.filter((i) => i.warmup), "Warm-up"),
      ...itemList(r.items.filter((i) => !i.warmup), r.items.some((i) => i.warmup) ? "Main work" : "Exercises"),
      h("p", { class: "row actions" }, actions));
  }));
  if (!routines.length) $("#routines").append(h("p", { class: "notice" }, "Offline: connect once to load the routines."));
}

async function reload() {
  routines = (await read("routines")) || [];
  renderList();
}

/** Opens the editor on a copy of `routine` that exists only on this page until Save. */
function copy(routine) {
  openEditor({ id: null, copyOf: routine.id, name: copyName(routine), items: routine.items });
  say(`Your own copy of ${routine.name}: change it, then tap “Save routine” to keep it. Nothing is kept until you save.`
    + (state.offline ? ` Right now ${OFFLINE}` : ""), "#editor-status");
}

async function remove(routine) {
  if (!confirm(`Delete the routine “${routine.name}”? Sessions you logged with it stay in your history.`)) return;
  try {
    await api("DELETE", `routines/${routine.id}`);
    await reload();
    say(`Routine “${routine.name}” deleted.`);
  } catch (error) {
    say(`Not deleted: ${failed(error)}`);
  }
}

// --- the editor ---------------------------------------------------------------------------------
function openEditor(routine) {
  editing = { id: routine.id, copyOf: routine.copyOf ?? null, name: routine.name, items: routine.items.map(itemBody) };
  $("#routine-name").value = routine.name;
  $("#editor-status").textContent = "";
  $("#name-error").hidden = true;
  $("#routines").hidden = true;
  $("#editor").hidden = false;
  closeLibrary();
  renderItems();
  $("#editor-h").focus();
}

function closeEditor() {
  editing = null;
  $("#editor").hidden = true;
  $("#routines").hidden = false;
}

function move(index, delta) {
  const items = editing.items;
  const to = index + delta;
  if (to < 0 || to >= items.length) return;
  [items[index], items[to]] = [items[to], items[index]];
  renderItems();
  $(`#item${to}-${delta < 0 ? "up" : "down"}`)?.focus();
  sayInEditor(`${nameOf(items[to].exercise)} moved ${delta < 0 ? "up" : "down"}.`);
}

function numberField(id, label, name, value, max, onchange) {
  const input = h("input", { id, type: "number", inputmode: "numeric", min: "1", max: String(max), value: String(value), required: true });
  input.addEventListener("change", () => onchange(Math.round(Number(input.value))));
  return h("div", {}, h("label", { for: id }, label, h("span", { class: "visually-hidden" }, ` of ${name}`)), input);
}

function renderItems() {
  const items = editing.items;
  const rows = items.map((item, index) => {
    const exercise = library[item.exercise] || { name: item.exercise, unit: "reps", category: "strength" };
    const name = exercise.name;
    const id = `item${index}`;
    const warm = h("input", { type: "checkbox", id: `${id}-warmup`, checked: item.warmup });
    warm.addEventListener("change", () => {
      item.warmup = warm.checked;
      editing.items.sort((a, b) => Number(b.warmup) - Number(a.warmup)); // the warm-up block comes first
      renderItems();
      $(`#item${editing.items.indexOf(item)}-warmup`)?.focus();
      sayInEditor(`${name} ${item.warmup ? "is now part of the warm-up, done first" : "is back in the main work"}.`);
    });
    const band = exercise.category === "strength"
      ? (() => {
          const select = h("select", { id: `${id}-band` }, h("option", { value: "" }, "No band"),
            bands.map((b) => h("option", { value: b }, `${b[0].toUpperCase()}${b.slice(1)}`)));
          select.value = item.band || "";
          select.addEventListener("change", () => { item.band = select.value || null; });
          return h("div", {}, h("label", { for: `${id}-band` }, "Band", h("span", { class: "visually-hidden" }, ` for ${name}`)), select);
        })()
      : null;
    return h("li", { class: "card item" },
      h("h3", {}, name, item.warmup ? h("span", { class: "muted small" }, " · warm-up") : null),
      h("div", { class: "row" },
        numberField(`${id}-sets`, "Sets", name, item.sets, 20, (v) => { item.sets = v; }),
        numberField(`${id}-target`, targetLabel(exercise, item.per_side), name, item.target, 3600, (v) => { item.target = v; })),
      h("div", { class: "row" },
        band,
        h("label", { class: "check", for: `${id}-warmup` }, warm, "Warm-up", h("span", { class: "visually-hidden" }, `: ${name}`))),
      h("div", { class: "row actions" },
        h("button", { type: "button", id: `${id}-up`, "aria-label": `Move ${name} up`, disabled: index === 0, onclick: () => move(index, -1) }, "↑ Up"),
        h("button", { type: "button", id: `${id}-down`, "aria-label": `Move ${name} down`, disabled: index === items.length - 1, onclick: () => move(index, 1) }, "↓ Down"),
        h("button", { type: "button", class: "danger", "aria-label": `Remove ${name}`, onclick: () => {
          items.splice(index, 1);
          renderItems();
          sayInEditor(`${name} removed. Save routine to keep the change.`);
          $("#add").focus();
        } }, "Remove")));
  });
  $("#items").replaceChildren(rows.length
    ? h("ol", { class: "plain items", "aria-label": "Exercises in this routine" }, rows)
    : h("p", { class: "muted" }, "No exercises yet: add one from the library."));
}

function openLibrary() {
  const byCategory = {};
  const inRoutine = new Set(editing.items.map((i) => i.exercise)); // marked, still addable (a warm-up set, say)
  for (const exercise of Object.values(library)) (byCategory[exercise.category] ||= []).push(exercise);
  $("#library").replaceChildren(...Object.entries(byCategory).map(([category, exercises]) => h("section", { "aria-labelledby": `lib-${category}` },
    h("h3", { id: `lib-${category}` }, CATEGORY_WORD[category] || category),
    h("div", { class: "choices" }, exercises.map((e) => h("button", { type: "button", onclick: () => add(e) },
      inRoutine.has(e.slug) ? `${e.name} · in this routine` : e.name))))));
  $("#library").hidden = false;
  $("#add").setAttribute("aria-expanded", "true");
}

function closeLibrary() {
  $("#library").hidden = true;
  $("#add").setAttribute("aria-expanded", "false");
}

function add(exercise) {
  editing.items.push({ exercise: exercise.slug, sets: exercise.default_sets, target: exercise.default_target,
    per_side: exercise.per_side, warmup: false, band: null });
  closeLibrary();
  renderItems();
  $(`#item${editing.items.length - 1}-sets`)?.focus();
  sayInEditor(`${exercise.name} added. Save routine to keep it.`);
}

async function saveRoutine() {
  const name = $("#routine-name").value.trim();
  $("#name-error").hidden = Boolean(name);
  $("#name-error").textContent = name ? "" : "Give the routine a name.";
  if (!name) { $("#routine-name").focus(); return; }
  const bad = editing.items.findIndex((i) => !(i.sets >= 1 && i.sets <= 20 && i.target >= 1 && i.target <= 3600));
  if (bad >= 0) {
    say(`${nameOf(editing.items[bad].exercise)}: sets go from 1 to 20, and reps, seconds or steps from 1 to 3600.`, "#save-error");
    $(`#item${bad}-sets`)?.focus();
    return;
  }
  const body = { name, items: editing.items.map(itemBody) };
  $("#save").disabled = true; // one routine per tap
  try {
    const saved = editing.id == null
      ? await saveOwnCopy(editing.copyOf, body)
      : await api("PATCH", `routines/${editing.id}`, body);
    closeEditor();
    await reload();
    say(`Routine “${saved.name}” saved. Today proposes it and Log picks it next time.`);
    [...document.querySelectorAll("#routines button")].find((b) => b.getAttribute("aria-label") === `Edit ${saved.name}`)?.focus({ preventScroll: true });
  } catch (error) {
    say(`Not saved: ${failed(error)}`, "#save-error");
  } finally {
    $("#save").disabled = false;
  }
}

async function main() {
  const me = await boot();
  if (!me) return;
  const [exercises, vocab] = await Promise.all([read("exercises"), vocabulary()]);
  library = Object.fromEntries((exercises || []).map((e) => [e.slug, e]));
  bands = vocab?.bands || [];
  await reload();
  $("#offline-note").hidden = !state.offline;
  $("#add").addEventListener("click", () => ($("#library").hidden ? openLibrary() : closeLibrary()));
  $("#save").addEventListener("click", saveRoutine);
  $("#cancel").addEventListener("click", () => {
    const unsaved = editing?.id == null;
    closeEditor();
    say(unsaved ? "No copy made: nothing was saved." : "Changes not saved.");
  });
}

runPage(main);
