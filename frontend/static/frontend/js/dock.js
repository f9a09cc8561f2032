// Log's dock, just above the tab bar, where a person looking at the card they tapped still sees
// it: the status line (what a tap did, announced politely) over the rest bar. While the dock
// shows anything, the page scrolls in the room above it (app.css, html.resting: the page's box
// ends where the dock begins), so nothing of the page is ever under it, wherever the person
// scrolls; the scroll position carries over both ways.
import { $ } from "./app.js";

const STATUS_SECONDS = 8; // a passing message goes after this; the dock gives its room back
let clearing = null;

/** Makes room for the dock while it shows something (the status, the rest bar), none after. */
export function keepRoom() {
  const root = document.documentElement;
  const dock = $("#dock");
  const on = Boolean($("#log-status").textContent) || !$("#rest").hidden;
  if (on) root.style.setProperty("--rest-height", `${dock.offsetHeight}px`);
  if (on === root.classList.contains("resting")) return;
  if (on) {
    const y = window.scrollY;
    root.classList.add("resting");
    document.body.scrollTop = y;
  } else {
    const y = document.body.scrollTop;
    root.classList.remove("resting");
    window.scrollTo(0, y);
  }
}

/** Says `text` in the dock; it stays until replaced when `keep`, else for a few seconds. */
export function say(text, { keep = false } = {}) {
  clearTimeout(clearing);
  $("#log-status").textContent = text;
  keepRoom();
  if (text && !keep) clearing = setTimeout(() => say(""), STATUS_SECONDS * 1000);
}
