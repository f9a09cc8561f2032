// Account: settings, data downloads, change of password or email, sign out (which clears this
// phone) here or everywhere, delete the account.
import { api, describe } from "../api.js";
import { $, $$, boot, read, runPage } from "../app.js";
import * as outbox from "../outbox.js";
import { timezoneChooser } from "../timezones.js";
import { setUpPasskeyCard } from "../passkeys.js";

// A message per field next to it ("password" is the email form's own password field); how
// many were placed, so the status need not repeat them.
function showFieldErrors(form, errors) {
  $$(".error", form).forEach((p) => { p.textContent = ""; });
  const prefix = form.id === "email-form" ? "email-" : "";
  let placed = 0;
  for (const [field, message] of Object.entries(errors)) {
    const slot = $(`#${field === "password" ? prefix : ""}${field}-error`, form);
    if (slot) { slot.textContent = message; placed += 1; }
  }
  return placed;
}

async function main() {
  const me = await boot();
  if (!me) return;
  $("#who").textContent = `Signed in as ${me.email}.`;
  const profile = (await read("profile")) || me;
  $("#weekly_target").value = profile.weekly_target;
  const zone = await timezoneChooser($("#timezone-chooser"), { id: "timezone", value: profile.timezone });
  $("#units").value = profile.units;
  $("#profile").addEventListener("submit", async (event) => {
    event.preventDefault();
    $$("#profile .error").forEach((p) => { p.textContent = ""; });
    try {
      await api("PATCH", "profile", { weekly_target: Number($("#weekly_target").value), timezone: zone.value(), units: $("#units").value });
      $("#profile-status").textContent = "Saved.";
    } catch (error) {
      for (const [field, message] of Object.entries(error.errors || {})) { const slot = $(`#${field}-error`); if (slot) slot.textContent = message; }
      $("#profile-status").textContent = describe(error);
    }
  });
  const waiting = (await outbox.entries(me.id)).filter((e) => e.state !== "synced");
  if (waiting.length) {
    $("#unsynced").hidden = false;
    $("#unsynced").textContent = `${waiting.length} ${waiting.length === 1 ? "entry is" : "entries are"} not on the server yet. They stay on this phone, hidden, until you sign in again.`;
  }
  const clearThisPhone = async () => {
    await outbox.forgetSynced();
    await outbox.dropDraft(me.id);
    location.assign("/signin");
  };
  $("#signout").addEventListener("click", async () => {
    try { await api("POST", "auth/logout"); } catch (error) { /* offline: still clear this phone */ }
    await clearThisPhone();
  });
  $("#signout-all").addEventListener("click", async () => {
    if (!confirm("Sign out on every phone and computer, this one too?")) return;
    try {
      await api("POST", "auth/logout-all");
    } catch (error) {
      $("#signout-status").textContent = describe(error); // not done: say so, stay signed in here
      return;
    }
    await clearThisPhone();
  });
  $("#password-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    showFieldErrors(form, {});
    const body = { current_password: $("#current_password").value, new_password: $("#new_password").value };
    const missing = {};
    if (!body.current_password) missing.current_password = "Enter your current password.";
    if (!body.new_password) missing.new_password = "Enter a new password.";
    if (Object.keys(missing).length) { showFieldErrors(form, missing); return; }
    $("#password-status").textContent = "Saving…";
    try {
      await api("POST", "auth/password", body);
      form.reset();
      $("#password-status").textContent = "Password changed. Your other phones and computers are signed out.";
    } catch (error) {
      const placed = showFieldErrors(form, error.errors || {});
      $("#password-status").textContent = placed ? error.message : describe(error);
    }
  });
  $("#email-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    showFieldErrors(form, {});
    const body = { new_email: $("#new_email").value.trim(), password: $("#email-password").value };
    const missing = {};
    if (!body.new_email) missing.new_email = "Enter the new email address.";
    if (!body.password) missing.password = "Enter your password.";
    if (Object.keys(missing).length) { showFieldErrors(form, missing); return; }
    $("#email-status").textContent = "Sending…";
    try {
      const answer = await api("POST", "auth/email", body);
      form.reset();
      $("#email-status").textContent = answer.detail;
    } catch (error) {
      const placed = showFieldErrors(form, error.errors || {});
      $("#email-status").textContent = placed ? error.message : describe(error);
    }
  });
  $("#delete").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#delete-error").textContent = "";
    if (!confirm("Delete your account and all its data for good?")) return;
    try {
      await api("DELETE", "account", { password: $("#delete-password").value });
      for (const entry of await outbox.entries(me.id)) await outbox.discard(entry.client_id);
      await outbox.dropDraft(me.id);
      await outbox.forgetSynced();
      location.assign("/signup");
    } catch (error) {
      $("#delete-error").textContent = error.errors?.password || describe(error);
    }
  });
  $$("button[disabled]").forEach((b) => { b.disabled = false; }); // wired up: ready for taps
  setUpPasskeyCard();
}

runPage(main);
