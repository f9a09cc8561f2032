// Routines as the pages change them: the user's own copy of a starter, items written back in the
// API's shape, and a suggestion applied to the routine the user follows (with its undo).
import { api } from "./api.js";

/** The routine Today proposes and Log preselects (the server marks it), else the first starter. */
export function proposedRoutine(routines) {
  return routines.find((r) => r.proposed) || routines.find((r) => r.starter) || routines[0] || null;
}

/** An item as the API takes it back. */
export function itemBody(item) {
  return { exercise: item.exercise, sets: item.sets, target: item.target, per_side: item.per_side,
    warmup: Boolean(item.warmup), band: item.band || null };
}

export function copyName(routine) {
  return `${routine.name} (my copy)`.slice(0, 100);
}

/** A new routine of the user's copied from the routine `sourceId` (a starter or one of their
 * own) and holding `items` as the person shaped them: made in one request, so a refused item
 * leaves no copy behind. */
export function saveOwnCopy(sourceId, { name, items }) {
  return api("POST", "routines", { copy_of: sourceId, name, items });
}

/** The items of `routine` with `suggestion` applied to its main work (not the warm-up). */
export function changedItems(routine, suggestion, library) {
  return routine.items.map((item) => {
    if (item.exercise !== suggestion.exercise || item.warmup) return itemBody(item);
    const next = itemBody(item);
    if (suggestion.to_exercise) {
      const variant = library[suggestion.to_exercise];
      Object.assign(next, { exercise: suggestion.to_exercise, per_side: variant?.per_side ?? item.per_side,
        sets: variant?.default_sets ?? item.sets, target: variant?.default_target ?? item.target, band: null });
    }
    if (suggestion.to_band) next.band = suggestion.to_band;
    if (suggestion.to_sets) next.sets = suggestion.to_sets;
    if (suggestion.to_target) next.target = suggestion.to_target;
    return next;
  });
}

/** What applying `suggestion` changes, in words: "Single-leg glute bridge instead of Glute
 * bridge", "the green band for Clamshell", "3×12 for Glute bridge"; null when it changes nothing. */
export function changeText(suggestion, library) {
  const name = library[suggestion.exercise]?.name || suggestion.exercise;
  if (suggestion.to_exercise) return `${library[suggestion.to_exercise]?.name || suggestion.to_exercise} instead of ${name}`;
  if (suggestion.to_band) return `the ${suggestion.to_band} band for ${name}`;
  if (suggestion.to_sets && suggestion.to_target) return `${suggestion.to_sets}×${suggestion.to_target} for ${name}`;
  return null;
}

/** What an Apply button says: "Apply: try Single-leg glute bridge instead of Glute bridge". */
export function applyLabel(suggestion, library) {
  const change = changeText(suggestion, library);
  if (!change) return null;
  if (suggestion.to_exercise) return `Apply: ${suggestion.action === "ease_off" ? "switch to" : "try"} ${change}`;
  return `Apply: ${suggestion.to_band ? "use" : "go up to"} ${change}`;
}

/** Applies `suggestion` to the routine the user follows, copying a starter first. Resolves to
 * {routine, copied, undo}; `undo()` puts back exactly what was there (the copy is deleted). */
export async function applySuggestion(suggestion, routines, library) {
  const current = proposedRoutine(routines);
  if (!current) throw new Error("No routine to change.");
  const copied = current.starter;
  const items = changedItems(current, suggestion, library);
  if (copied) {
    const routine = await saveOwnCopy(current.id, { name: copyName(current), items });
    return { routine, copied: current, undo: () => api("DELETE", `routines/${routine.id}`) };
  }
  const before = { name: current.name, items: current.items.map(itemBody) };
  const routine = await api("PATCH", `routines/${current.id}`, { items });
  return { routine, copied: null, undo: () => api("PATCH", `routines/${current.id}`, before) };
}
