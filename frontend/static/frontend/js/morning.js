// The next-morning knee check: one tap records pain_next_morning on yesterday's session.
// (Pain-monitoring model: the knee should be no worse the morning after a session.)
import { api, ApiError } from "./api.js";
import { painTooHigh, vocabulary } from "./vocabulary.js";

vocabulary(); // asked for now, to be at hand when the answer is saved
const status = document.querySelector("#status");
const sessionId = new URLSearchParams(window.location.search).get("session");

function say(text) {
  status.textContent = text;
}

async function record(pain) {
  if (!sessionId || !/^\d+$/.test(sessionId)) {
    say("This link has no session to answer for. Open the app to log how your knee feels.");
    return;
  }
  try {
    await api("PATCH", `sessions/${sessionId}`, { pain_next_morning: pain });
    const vocab = await vocabulary();
    say(
      vocab && painTooHigh(vocab, pain)
        ? `Saved: ${pain} out of 10. That is high: rest today and ease off next session. Stop if pain increases instead of improving.`
        : `Saved: ${pain} out of 10. Thank you.`,
    );
    document.querySelectorAll("[data-pain]").forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.pain) === pain)));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) say("Please sign in first, then open this link again.");
    else if (error instanceof ApiError && error.status === 404) say("That session is not in your log any more.");
    else say("Not saved: no connection? Try again in a moment.");
  }
}

document.querySelectorAll("[data-pain]").forEach((button) => {
  button.addEventListener("click", () => record(Number(button.dataset.pain)));
});
