// Forgot password: ask for a reset link by email; and, opened from that link
// (/password-reset/<uid>/<token>), choose the new password. A spent link offers a new one.
import { api, ApiError, describe } from "../api.js";
import { $, $$ } from "../app.js";

// Each field's message next to it; the status says what happened in a sentence.
function showErrors(form, error, status) {
  let placed = 0;
  for (const [field, message] of Object.entries(error instanceof ApiError ? error.errors : {})) {
    const slot = $(`#${field}-error`, form);
    if (slot) { slot.textContent = message; placed += 1; }
  }
  status.textContent = placed ? error.message : describe(error);
}

async function askForLink(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const status = $("#request-status");
  $$(".error", form).forEach((p) => { p.textContent = ""; });
  const email = $("#email").value.trim();
  if (!email) { $("#email-error").textContent = "Enter your email address."; return; }
  status.textContent = "Sending…";
  try {
    await api("GET", "auth/csrf");
    const answer = await api("POST", "auth/password-reset", { email });
    status.textContent = `${answer.detail} Check your inbox (and the spam folder).`;
  } catch (error) {
    showErrors(form, error, status);
  }
}

async function setPassword(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const status = $("#confirm-status");
  $$(".error", form).forEach((p) => { p.textContent = ""; });
  const newPassword = $("#new_password").value;
  if (!newPassword) { $("#new_password-error").textContent = "Enter a new password."; return; }
  const [uid, token] = location.pathname.split("/").slice(2, 4);
  status.textContent = "Saving…";
  try {
    await api("GET", "auth/csrf");
    await api("POST", "auth/password-reset/confirm", { uid, token, new_password: newPassword });
    $("#confirm-section").hidden = true;
    $("#done-section").hidden = false;
    $("#done-section h1").focus();
  } catch (error) {
    if (error instanceof ApiError && error.errors.token) {
      // used in another tab or expired meanwhile: offer a new link
      $("#confirm-section").hidden = true;
      $("#request-section").hidden = false;
      return;
    }
    showErrors(form, error, status);
  }
}

$("#request").addEventListener("submit", askForLink);
$("#confirm")?.addEventListener("submit", setPassword);
$$("button[disabled]").forEach((b) => { b.disabled = false; }); // wired up: ready for taps
