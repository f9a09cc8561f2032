// Is the plan on hold? A red flag stops it everywhere until the person confirms that a clinician
// has seen the knee: the server's red flag (the progress answer), or one ticked on this phone and
// not yet sent, which shows at once, offline too. A confirmation waiting on this phone lifts the
// hold for what was reported before it, as the server will once it arrives.
import { vocabulary } from "./vocabulary.js";

const unsent = (queued) => queued.filter((e) => e.state !== "synced");

/** The red flag that is up, as the progress answer gives flags ({code, message, since}), or null. */
export async function redFlag(progress, queued) {
  const waiting = unsent(queued);
  const confirmed = waiting.filter((e) => e.kind === "clearance").at(-1);
  const ticked = waiting.filter((e) => e.kind === "checkin" && e.body?.red_flags?.length
    && (!confirmed || e.created_at > confirmed.created_at));
  if (ticked.length) {
    const vocab = await vocabulary();
    const words = new Map((vocab?.red_flags || []).map((f) => [f.code, f.reported]));
    const codes = [...new Set(ticked.flatMap((e) => e.body.red_flags))];
    const what = codes.map((code) => words.get(code) || code.replaceAll("_", " ")).join("; ");
    const advice = vocab?.safety?.see_clinician_first || "See a clinician before you exercise again.";
    return {
      code: "red_flag",
      message: `You reported: ${what}. ${advice}`,
      since: ticked.map((e) => e.body.date).sort()[0],
      local: true,
    };
  }
  if (confirmed) return null;
  return progress?.flags?.find((f) => f.code === "red_flag") || null;
}

/** The progress answer's flags with the red flag as it stands on this phone, red first. */
export function flagsWith(red, progress) {
  const others = (progress?.flags || []).filter((f) => f.code !== "red_flag");
  return red ? [red, ...others] : others;
}
