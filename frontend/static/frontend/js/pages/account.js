// Account: settings, data downloads, sign out (which clears this phone), delete the account.
import { api, describe } from "../api.js";
import { $, $$, boot, read } from "../app.js";
import * as outbox from "../outbox.js";
import { setUpPasskeyCard } from "../passkeys.js";

async function main() {
  const me = await boot();
  if (!me) return;
  $("#who").textContent = `Signed in as ${me.email}.`;
  const profile = (await read("profile")) || me;
  $("#weekly_target").value = profile.weekly_target;
  $("#timezone").value = profile.timezone;
  $("#units").value = profile.units;
  $("#profile").addEventListener("submit", async (event) => {
    event.preventDefault();
    $$("#profile .error").forEach((p) => { p.textContent = ""; });
    try {
      await api("PATCH", "profile", { weekly_target: Number($("#weekly_target").value), timezone: $("#timezone").value.trim(), units: $("#units").value });
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
  $("#signout").addEventListener("click", async () => {
    try { await api("POST", "auth/logout"); } catch (error) { /* offline: still clear this phone */ }
    await outbox.forgetSynced();
    await outbox.dropDraft(me.id);
    location.assign("/signin");
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

main();
