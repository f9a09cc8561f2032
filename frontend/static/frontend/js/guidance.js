// The answer for one set, at once and offline: a port of tracker.rules.safety.set_guidance
// (pain-monitoring model, Silbernagel et al. 2007). A browser test checks it word for word against
// the API's /exercises/{slug}/guidance for every input, so the two cannot drift apart.
const SAFE_MAX = 3;
const ACCEPTABLE_MAX = 5;
const STOP_IF_WORSE = "Stop if pain increases instead of improving.";
const FORM = "Knees track over the 2nd–3rd toe, hips drive back, torso tall.";

export function setGuidance({ exerciseName, easierSlug = null, easierName = null, feltInKnee = false, painDuring = null }) {
  if (painDuring != null && painDuring > ACCEPTABLE_MAX) {
    return {
      action: "stop_today",
      message: `Pain above 5: stop ${exerciseName} for today. If the knee has not settled within about an hour, or is worse tomorrow morning, ease off next time. ${STOP_IF_WORSE}`,
      easier: null,
    };
  }
  if (!feltInKnee) {
    if (painDuring != null && painDuring > SAFE_MAX) {
      return { action: "continue", message: "Pain 4-5 is acceptable if it settles within about an hour. Keep the reps slow.", easier: null };
    }
    return { action: "continue", message: "Pain 0-3 is safe. Carry on with slow, controlled reps.", easier: null };
  }
  if (painDuring == null || painDuring > SAFE_MAX) {
    if (easierSlug) {
      return { action: "easier", message: `Felt it in the knee: switch to ${easierName} for the rest of today.`, easier: easierSlug };
    }
    return {
      action: "fewer_reps",
      message: `Felt it in the knee: do about a third fewer reps, slower, and only as deep as is comfortable. ${FORM}`,
      easier: null,
    };
  }
  return { action: "fewer_reps", message: `Felt it a little in the knee: fewer, slower reps and check your form. ${FORM}`, easier: null };
}
