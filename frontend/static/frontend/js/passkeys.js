// Passkeys: sign in with the phone's Face ID, fingerprint or screen lock instead of a password.
// The server hands out options with a challenge it keeps (auth/passkeys/.../options); the
// browser's navigator.credentials makes or uses the passkey, the phone checks who is holding it,
// and the answer goes back as JSON with its binary parts in base64url. Shown only where the
// browser has WebAuthn.
import { api, ApiError, describe } from "./api.js";
import { $, formatDay, h } from "./app.js";

export const supported = () => typeof window.PublicKeyCredential === "function" && Boolean(navigator.credentials);

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
}

function toBase64url(buffer) {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const REFUSALS = {
  NotAllowedError: "No passkey was used: it was cancelled, or took too long. Try again when you are ready.",
  InvalidStateError: "This phone already has a passkey for your account.",
  SecurityError: "Passkeys work only on this app's own secure address (https, or localhost).",
};

/** What went wrong, in words: the browser's refusals, then the server's (its message only: the
 * field details name WebAuthn's internals, which mean nothing to the person holding the phone). */
export function explain(error) {
  if (REFUSALS[error?.name]) return REFUSALS[error.name];
  return error instanceof ApiError ? error.message : describe(error);
}

/** Makes a passkey on this device for the signed-in user and stores it as `name`. */
export async function addPasskey(name) {
  const options = await api("POST", "auth/passkeys/register/options");
  const credential = await navigator.credentials.create({
    publicKey: {
      ...options,
      challenge: fromBase64url(options.challenge),
      user: { ...options.user, id: fromBase64url(options.user.id) },
      excludeCredentials: options.excludeCredentials.map((c) => ({ ...c, id: fromBase64url(c.id) })),
    },
  });
  return api("POST", "auth/passkeys/register", {
    name: name || undefined,
    credential: {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toBase64url(credential.response.clientDataJSON),
        attestationObject: toBase64url(credential.response.attestationObject),
      },
    },
  });
}

/** Signs in with a passkey the person picks on this device; answers who is signed in. */
export async function signInWithPasskey() {
  await api("GET", "auth/csrf");
  const options = await api("POST", "auth/passkeys/login/options");
  const credential = await navigator.credentials.get({
    publicKey: { ...options, challenge: fromBase64url(options.challenge), allowCredentials: [] },
  });
  const { response } = credential;
  return api("POST", "auth/passkeys/login", {
    credential: {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
      },
    },
  });
}

/** The Account page's card: the list with "Remove" for each, and "Add a passkey". */
export async function setUpPasskeyCard() {
  const card = $("#passkeys");
  if (!card || !supported()) return;
  card.hidden = false;
  const status = $("#passkey-status");
  const list = $("#passkey-list");

  async function show() {
    let passkeys;
    try {
      passkeys = await api("GET", "auth/passkeys");
    } catch (error) {
      status.textContent = explain(error);
      return;
    }
    list.replaceChildren(...passkeys.map((p) => h("li", {},
      h("strong", {}, p.name), ` · added ${formatDay(p.created_at)}`,
      p.last_used_at ? ` · last used ${formatDay(p.last_used_at)} ` : " · not used yet ",
      h("button", { type: "button", class: "quiet", "aria-label": `Remove the passkey ${p.name}, added ${formatDay(p.created_at)}`,
        onclick: () => remove(p) }, "Remove"))));
    if (!passkeys.length) list.replaceChildren(h("li", { class: "muted" }, "No passkeys yet."));
  }

  async function remove(passkey) {
    if (!confirm(`Remove the passkey “${passkey.name}”? You can still sign in with your password.`)) return;
    try {
      await api("DELETE", `auth/passkeys/${passkey.id}`);
      status.textContent = `Removed “${passkey.name}”. It can no longer sign you in; your phone may still list it, and you can delete it there too.`;
    } catch (error) {
      status.textContent = explain(error);
    }
    await show();
  }

  $("#passkey-add").addEventListener("click", async () => {
    status.textContent = "Follow your phone's prompt: Face ID, fingerprint or screen lock.";
    try {
      const added = await addPasskey($("#passkey-name").value.trim());
      $("#passkey-name").value = "";
      status.textContent = `Added “${added.name}”. Next time, tap “Sign in with a passkey”.`;
    } catch (error) {
      status.textContent = explain(error);
    }
    await show();
  });
  await show();
  $("#passkey-add").disabled = false;
}

/** The sign-in page's button; `finish` does what every sign-in does next. */
export function setUpPasskeySignIn(finish) {
  const section = $("#passkey-signin");
  if (!section || !supported()) return;
  section.hidden = false;
  const status = $("#passkey-signin-status");
  const button = $("#passkey-signin button");
  button.addEventListener("click", async () => {
    status.textContent = "Follow your phone's prompt to sign in…";
    try {
      await signInWithPasskey();
      await finish();
    } catch (error) {
      status.textContent = explain(error);
    }
  });
  button.disabled = false;
}
