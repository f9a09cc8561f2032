// Log while a red flag is up: no session starts until the person confirms that a clinician has
// seen the knee; the confirmation goes through the outbox like any write, with its moment.
// Loaded only when a red flag holds the plan.
import { $, renderFlags, sync } from "./app.js";
import { formatDate } from "./dates.js";
import { say } from "./dock.js";
import * as outbox from "./outbox.js";


/** Shows the hold for `red` (the flag as Log found it) in place of the routine picker. */
export function holdUntilSeen(me, red) {
  $("#hold").hidden = false;
  $("#pick").hidden = true;
  renderFlags($("#hold-flag"), { flags: [red] }, { confirmLink: false });
  $("#clearance").addEventListener("submit", (event) => confirmSeen(event, me));
}

async function confirmSeen(event, me) {
  event.preventDefault();
  const box = $("#clearance-box");
  if (!box.checked) {
    $("#clearance-error").textContent = "Tick the box only once a clinician has seen your knee and said you may exercise.";
    box.focus();
    return;
  }
  $("#clearance-error").textContent = "";
  const seenAt = new Date();
  await outbox.enqueue({ owner: me.id, kind: "clearance", path: "checkins/clearance",
    body: { client_id: outbox.newClientId(), seen_at: seenAt.toISOString() },
    label: `A clinician has seen my knee (${formatDate(seenAt)})` });
  $("#hold").hidden = true;
  $("#pick").hidden = false;
  say(`Noted on ${formatDate(seenAt)}: a clinician has seen your knee. Start gently, and stop if pain increases instead of improving.`, { keep: true });
  $("#start").focus();
  sync({ force: true });
}
