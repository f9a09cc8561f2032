// Paths this app follows from outside its own code: `next` after signing in, a notification's
// url. The URL standard reads `\` as `/` and drops tabs and newlines, so "/\evil.example" and
// "/<TAB>/evil.example" lead to another site although they start with one "/": a path is
// followed only when the browser itself resolves it to this origin.

/** `next` as a path on this origin (path, query and fragment), or `fallback`. */
export function safeNext(next, fallback = "/", origin = globalThis.location.origin) {
  if (typeof next !== "string" || next === "") return fallback;
  let url;
  try {
    url = new URL(next, origin);
  } catch (error) {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  return url.pathname + url.search + url.hash;
}
