// What the pages must agree with the server on (bands, red flags, the pain scale and its limits,
// the meaningful-change rule, the weekly target, the page table), from the one copy the server
// has: GET /api/v1/vocabulary, fetched once per page. Offline, the service worker answers with the
// copy it keeps beside the pages, so a page that opens offline has it too.
import { api, OfflineError } from "./api.js";

let answer = null;

/** The vocabulary, or null when it cannot be had (offline with no copy on this phone): the
 * pages then leave out what depends on it rather than guess. */
export function vocabulary() {
  answer ??= api("GET", "vocabulary").catch((error) => {
    answer = null; // ask again next time
    if (!(error instanceof OfflineError)) console.warn("No vocabulary from the server:", error);
    return null;
  });
  return answer;
}

/** Pain above the acceptable limit of the pain-monitoring model ("above 5 is not"). */
export function painTooHigh(vocab, pain) {
  return pain > vocab.pain.acceptable_max;
}

/**
 * The weekly mean pain at or below which a week is a meaningful fall from the first week's
 * `baseline`: a fall of `points`, or of `percent` of `baseline` when that is at least
 * `percent_min_points` (baseline 10 -> 8, 2 points less; 5 -> 3.5, 30% less; 2 -> 1, a point);
 * null below a first week of `percent_min_points`, from which no fall is big enough.
 */
export function meaningfulThreshold(vocab, baseline) {
  const { points, percent, percent_min_points: minPoints } = vocab.meaningful_change;
  const fall = Math.min(points, Math.max(minPoints, (baseline * percent) / 100));
  return baseline >= fall ? baseline - fall : null; // null: no fall from so low can matter
}
