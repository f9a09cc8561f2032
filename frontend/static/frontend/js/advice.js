// Advice that acts: each suggestion as a list item naming its exercise; one that changes the plan
// (another variant, a band, more reps) has an "Apply: ..." button that changes the routine the
// user follows (their own copy of a starter first, and it says so), then offers "Undo". What
// happened shows in the item itself, beside the button tapped; a refusal too (an alert).
import { api, describe, OfflineError } from "./api.js";
import { h } from "./app.js";
import { applyLabel, applySuggestion, changeText } from "./routines.js";

async function refresh(routines) {
  const fresh = await api("GET", "routines");
  routines.splice(0, routines.length, ...fresh);
}

/** List items for `suggestions`; `routines` is kept current as advice is applied and undone,
 * and `onChange` (if given) is called after each, for the page to show the routine now followed. */
export function renderAdvice(suggestions, { routines, library, say, onChange = () => {} }) {
  return suggestions.map((suggestion) => {
    const li = h("li", { class: "advice" });
    const label = applyLabel(suggestion, library);
    const show = (...extra) => li.replaceChildren(h("p", {}, suggestion.message), ...extra);
    const fail = (what, error) => {
      li.querySelector(".error")?.remove();
      const why = error instanceof OfflineError ? "you are offline, and changing a routine needs a connection. Try again once you are online." : describe(error);
      const said = h("p", { class: "error", role: "alert" }, `${what}: ${why}`);
      li.append(said);
      said.scrollIntoView({ block: "nearest" }); // clear of the tab bar (the page's scroll padding)
    };

    async function apply(button) {
      button.disabled = true;
      try {
        const { routine, copied, undo } = await applySuggestion(suggestion, routines, library);
        await refresh(routines);
        onChange();
        const change = changeText(suggestion, library);
        const done = copied
          ? `Done: made your own copy of ${copied.name}, “${routine.name}”, with ${change}. The starter stays as it was.`
          : `Done: “${routine.name}” now has ${change}.`;
        const undoButton = h("button", { type: "button" }, "Undo");
        undoButton.setAttribute("aria-label", `Undo: ${change}`);
        undoButton.addEventListener("click", async () => {
          undoButton.disabled = true;
          try {
            await undo();
            await refresh(routines);
            onChange();
            offer();
            say(copied ? `Undone: your copy is gone and ${copied.name} is as it was.` : `Undone: “${routine.name}” is as it was.`);
          } catch (error) {
            undoButton.disabled = false;
            fail("Not undone", error);
          }
        });
        show(h("p", { class: "done" }, done), undoButton);
        say(done);
      } catch (error) {
        button.disabled = false;
        fail("Not applied", error);
      }
    }

    function offer() {
      if (!label) { show(); return; }
      const button = h("button", { type: "button" }, label);
      button.addEventListener("click", () => apply(button));
      show(button);
    }
    offer();
    return li;
  });
}
