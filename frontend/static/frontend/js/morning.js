// The next-morning knee check: one tap records pain_next_morning on yesterday's session and says
// whether the knee settled. Pain-monitoring model: the knee should be no worse the morning after
// a session than usual; "usual" is the server's (progress' usual_pain: that day's answer before
// the session, or the median of the 14 days before). With nothing to compare, the page asks.
import { api, ApiError } from "./api.js";
import { vocabulary } from "./vocabulary.js";

const vocab = vocabulary(); // asked for now, to be at hand when the answer is saved
const status = document.querySelector("#status");
const compare = document.querySelector("#compare");
const sessionId = new URLSearchParams(window.location.search).get("session");

function say(text) {
  status.textContent = text;
}

async function notSettled() {
  const easeOff = (await vocab)?.safety?.ease_off || "fewer sets, a lighter band or an easier variant";
  return `The knee had not settled. Next session, ease off: ${easeOff}.`;
}

async function usualPain() {
  try {
    return (await api("GET", "progress/weekly?weeks=2"))?.usual_pain ?? null;
  } catch {
    return null;
  }
}

async function record(pain) {
  if (!sessionId || !/^\d+$/.test(sessionId)) {
    say("This link has no session to answer for. Open the app to log how your knee feels.");
    return;
  }
  try {
    await api("PATCH", `sessions/${sessionId}`, { pain_next_morning: pain });
    document.querySelectorAll("[data-pain]").forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.pain) === pain)));
    const usual = await usualPain();
    compare.hidden = usual != null;
    if (usual == null) {
      say(`Saved: ${pain} out of 10. Is that more than your knee usually hurts in the morning?`);
    } else if (pain > usual) {
      say(`Saved: ${pain} out of 10, more than your usual ${usual}. ${await notSettled()}`);
    } else {
      say(`Saved: ${pain} out of 10, no worse than your usual ${usual}: the knee settled. Thank you.`);
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) say("Please sign in first, then open this link again.");
    else if (error instanceof ApiError && error.status === 404) say("That session is not in your log any more.");
    else say("Not saved: no connection? Try again in a moment.");
  }
}

document.querySelectorAll("[data-pain]").forEach((button) => {
  button.addEventListener("click", () => record(Number(button.dataset.pain)));
});
document.querySelector("#worse").addEventListener("click", async () => {
  compare.hidden = true;
  say(`More than usual. ${await notSettled()}`);
});
document.querySelector("#usual").addEventListener("click", () => {
  compare.hidden = true;
  say("About as usual, or less: the knee settled. Thank you.");
});
