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
