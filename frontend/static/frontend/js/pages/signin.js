// Sign in and sign up. Sign-up sends the browser's time zone, so weeks and reminders are local.
// Afterwards anything this phone saved for the account is sent (the CSRF token is read at send).
import { api, ApiError, describe } from "../api.js";
import { $, $$ } from "../app.js";
import { safeNext } from "../links.js";
import * as outbox from "../outbox.js";
import { setUpPasskeySignIn } from "../passkeys.js";
import { markSetupOpen } from "../setup.js";

/** The browser's zone when it is a region name the server accepts ("Europe/London"); an old
 * alias ("US/Pacific", "Etc/GMT-3") becomes UTC, which the setup card on Today offers to change. */
function regionZone(zone) {
  const regions = /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/./;
  return zone && regions.test(zone) ? zone : "UTC";
}

const next = () => safeNext(new URLSearchParams(location.search).get("next"));

/** After any sign-in: nobody else's answers kept, then what this phone saved is sent. */
async function signedIn(signup) {
  if (typeof caches !== "undefined") await caches.delete("h2k-api"); // nobody else's answers
  const me = await api("GET", "auth/me");
  await outbox.resume(me.id);
  await outbox.flush(me.id, { force: true });
  if (signup) markSetupOpen(me.id); // Today opens with the setup card
  location.assign(signup ? "/" : next());
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const signup = form.dataset.mode === "signup";
  $$(".error", form).forEach((p) => { p.textContent = ""; });
  const email = $("#email").value.trim();
  const password = $("#password").value;
  const status = $("#auth-status");
  if (!email) $("#email-error").textContent = "Enter your email address.";
  if (!password) $("#password-error").textContent = "Enter your password.";
  if (!email || !password) return;
  status.textContent = signup ? "Creating your account…" : "Signing in…";
  try {
    await api("GET", "auth/csrf");
    const body = signup ? { email, password, timezone: regionZone(Intl.DateTimeFormat().resolvedOptions().timeZone) } : { email, password };
    await api("POST", signup ? "auth/signup" : "auth/login", body);
    await signedIn(signup);
  } catch (error) {
    status.textContent = "";
    if (error instanceof ApiError) {
      for (const [field, message] of Object.entries(error.errors)) {
        const slot = $(`#${field}-error`);
        if (slot) slot.textContent = message;
      }
      status.textContent = error.message;
    } else status.textContent = describe(error);
  }
}

$("#auth").addEventListener("submit", submit);
$("#auth button[type=submit]").disabled = false; // ready: until now a tap could not send the form as a GET
setUpPasskeySignIn(() => signedIn(false));
