// An exercise's dose in words, as the Exercises and Log pages show it: sets and target, how a rep
// is paced, the rest between sets (none between the two sides of one set) and the band to start with.

const UNIT = { reps: "", seconds: " s", steps: " steps" };

/** "3 × 10 each side · 2 s up, hold 2 s, 3 s down" */
export function doseLine(exercise, { sets, target, perSide = exercise.per_side }) {
  const amount = `${sets} × ${target}${UNIT[exercise.unit] ?? ""}${perSide ? " each side" : ""}`;
  return exercise.tempo ? `${amount} · ${exercise.tempo}` : amount;
}

const UNIT_WORD = { reps: "Reps", seconds: "Seconds", steps: "Steps" };

/** What a routine's target counts: "Reps", "Reps each side", "Seconds each side", "Steps". */
export function targetLabel(exercise, perSide = exercise.per_side) {
  return `${UNIT_WORD[exercise.unit] || "Reps"}${perSide ? " each side" : ""}`;
}

/** "Rest 60 s between sets", or "" when the exercise has no rest. */
export function restLine(exercise) {
  if (!exercise.rest_seconds) return "";
  return `Rest ${exercise.rest_seconds} s between sets${exercise.per_side ? " (none between sides)" : ""}`;
}

/** Which band to start with and when to move up, in the exercise's own unit (the library
 * answer's band_advice, from tracker.rules.progression.band_advice); "" where no band is used. */
export function bandAdvice(exercise) {
  return exercise.band_advice || "";
}
