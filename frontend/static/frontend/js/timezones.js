// The time zone chooser of the setup card and the Account page: a search field that narrows a
// list of the IANA zones the server accepts (GET vocabulary/timezones), so a person picks
// "Europe/London" from a list instead of typing a name the server might not know.
import { api } from "./api.js";
import { h } from "./app.js";

let zones = null;

/** The zones to choose from: the server's list, or (offline, nothing kept) the browser's own. */
export function timezoneList() {
  zones ??= api("GET", "vocabulary/timezones").then((answer) => answer.timezones).catch(() => {
    zones = null; // ask the server again next time
    return typeof Intl.supportedValuesOf === "function" ? ["UTC", ...Intl.supportedValuesOf("timeZone")] : ["UTC"];
  });
  return zones;
}

/** The browser's own zone: what the phone is set to. */
export function detectedTimezone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

const words = (zone) => zone.replace(/_/g, " ");
const key = (text) => text.toLowerCase().replace(/[_\s/-]+/g, " ").trim();

/**
 * Fills `root` with a search field and a list of zones; resolves to {select, value()} once the
 * list is in. `value` is selected; `id` prefixes the controls' ids (two choosers may share a page).
 */
export async function timezoneChooser(root, { id, value }) {
  const all = await timezoneList(); // the list first: the controls appear ready to use
  const detected = detectedTimezone();
  const search = h("input", { id: `${id}-search`, type: "search", autocomplete: "off", "aria-describedby": `${id}-count`,
    placeholder: "e.g. London, New York, Kolkata", enterkeyhint: "search" });
  const select = h("select", { id, name: "timezone" });
  const count = h("p", { id: `${id}-count`, class: "muted small", "aria-live": "polite" });
  root.replaceChildren(
    h("label", { for: `${id}-search` }, "Search time zones"), search, count,
    h("label", { for: id }, "Time zone"), select);
  const known = new Set(all);
  const extra = [value, detected].filter((z) => z && !known.has(z)); // an old alias stays choosable
  const options = [...extra, ...all];
  const label = (zone) => (zone === detected ? `${words(zone)} (this phone)` : words(zone));

  function show(query) {
    const wanted = key(query);
    const chosen = select.value || value;
    const matches = options.filter((zone) => !wanted || key(zone).includes(wanted) || zone === chosen);
    select.replaceChildren(...matches.map((zone) => h("option", { value: zone }, label(zone))));
    select.value = matches.includes(chosen) ? chosen : matches[0] ?? "";
    const found = matches.filter((zone) => zone !== chosen || !wanted || key(zone).includes(wanted)).length;
    count.textContent = wanted ? `${found} ${found === 1 ? "match" : "matches"}: choose one from the list below.` : "";
  }
  search.addEventListener("input", () => {
    const before = select.value;
    show(search.value);
    // the first match is the one meant when the zone chosen before does not match at all
    const first = [...select.options].find((o) => key(o.value).includes(key(search.value)));
    if (search.value && first && !key(before).includes(key(search.value))) select.value = first.value;
    select.dispatchEvent(new Event("change"));
  });
  show("");
  select.value = value || detected;
  return { select, search, value: () => select.value };
}
