// The answer for one set, at once and offline: a port of tracker.rules.safety.set_guidance
// (pain-monitoring model, Silbernagel et al. 2007). A browser test checks it word for word against
// the API's /exercises/{slug}/guidance for every input, so the two cannot drift apart.
const SAFE_MAX = 3;
export const ACCEPTABLE_MAX = 5;
const EASE_OFF_WAYS = "fewer sets, a lighter band or an easier variant";
// the form cue of squats, lunges and hinges: an exercise whose cues hold it gets it repeated
export const FORM_CUE = "Knees track over the 2nd–3rd toe, hips drive back, torso tall.";

// how the work of a set is said in its unit: reps and steps are slowed, holds eased
function pace(unit) {
  if (unit === "seconds") {
    return { keep: "Keep the holds gentle.", carryOn: "Carry on with gentle, steady holds.",
      less: "hold about a third shorter, more gently,", aLittleLess: "shorter, gentler holds" };
  }
  const word = unit === "steps" ? "steps" : "reps";
  return { keep: `Keep the ${word} slow.`, carryOn: `Carry on with slow, controlled ${word}.`,
    less: `do about a third fewer ${word}, slower,`, aLittleLess: `fewer, slower ${word}` };
}

export function setGuidance({ exerciseName, easierSlug = null, easierName = null, feltInKnee = false, painDuring = null, formCue = false, unit = "reps" }) {
  const form = formCue ? ` ${FORM_CUE}` : "";
  const said = pace(unit);
  if (painDuring != null && painDuring > ACCEPTABLE_MAX) {
    return { action: "stop_today", message: `Pain above 5 is too much: stop ${exerciseName} for today.`, easier: null };
  }
  if (!feltInKnee) {
    if (painDuring != null && painDuring > SAFE_MAX) {
      return { action: "continue", message: `Pain 4–5 is acceptable if it settles within about an hour. ${said.keep}`, easier: null };
    }
    return { action: "continue", message: `Pain 0–3 is safe. ${said.carryOn}`, easier: null };
  }
  if (painDuring == null || painDuring > SAFE_MAX) {
    if (easierSlug) {
      return { action: "easier", message: `Felt it in the knee: switch to ${easierName} for the rest of today.`, easier: easierSlug };
    }
    return {
      action: "fewer_reps",
      message: `Felt it in the knee: ${said.less} and only as far as is comfortable.${form}`,
      easier: null,
    };
  }
  return { action: "fewer_reps", message: `Felt it a little in the knee: ${said.aLittleLess} and check your form.${form}`, easier: null };
}

/** The answer to a whole session's knee pain, rated as it ends: about the next session (a port
 * of tracker.rules.safety.session_pain_answer). */
export function sessionPainAnswer(painDuring) {
  if (painDuring > ACCEPTABLE_MAX) {
    return `Pain above ${ACCEPTABLE_MAX} is more than the knee should take. Next session, ease off: ${EASE_OFF_WAYS}.`;
  }
  if (painDuring > SAFE_MAX) {
    return `Pain ${SAFE_MAX + 1}–${ACCEPTABLE_MAX} is acceptable if it settles within about an hour and the knee is no worse than usual tomorrow morning.`;
  }
  return `Pain 0–${SAFE_MAX} is safe. Keep the same dose next session.`;
}
