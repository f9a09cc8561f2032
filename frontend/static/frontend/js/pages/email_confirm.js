// Opened from the link sent to a new email address (/account/email#<token>): the change is made
// here, by the page, so a mail scanner that fetches the link changes nothing. The token is in the
// fragment: it never reaches the server's logs, and is taken out of the address bar at once.
import { api, ApiError, describe } from "../api.js";
import { $, runPage } from "../app.js";

async function main() {
  const token = location.hash.slice(1);
  history.replaceState(null, "", location.pathname);
  const heading = $("#email-heading");
  const status = $("#email-status");
  if (!token) {
    heading.textContent = "This link is incomplete";
    status.textContent = "Open the link from the email again, or ask for a new one on the Account page.";
    return;
  }
  try {
    await api("GET", "auth/csrf");
    const user = await api("POST", "auth/email/confirm", { token });
    heading.textContent = "Your email is changed";
    status.textContent = `You now sign in with ${user.email}.`;
  } catch (error) {
    heading.textContent = "Your email was not changed";
    const spent = error instanceof ApiError && error.errors.token;
    status.textContent = spent
      ? "This link has expired (it works for a day) or has already been used. Ask for a new one on the Account page."
      : describe(error);
  }
  heading.focus();
}

runPage(main);
