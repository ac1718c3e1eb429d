// The "learned from review" page: every place, actor and alias reviews taught, with who added it; undo.
import { api, auth, ApiError } from "./api.js";
import { h, fill, toast, openModal, closeModal } from "./dom.js";

function signIn() {
  return new Promise((resolve) => {
    const token = h("input", { type: "password", name: "token", autocomplete: "off", placeholder: "API token", value: auth.token });
    const user = h("input", { type: "text", name: "user", placeholder: "e.g. analyst initials", value: auth.user });
    const done = (ok) => { closeModal(); updateButton(); resolve(ok); };
    openModal(h("form", {
      onsubmit: (e) => { e.preventDefault(); auth.save(token.value.trim(), user.value.trim()); done(!!auth.token); },
    }, h("h2", {}, "Reviewer sign-in"),
    h("p", {}, "Undoing needs the API token that `sahelwatch serve` printed when it started."),
    h("label", { class: "field" }, "API token", token),
    h("label", { class: "field" }, "Your name (recorded in the review history)", user),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "btn primary" }, "Save"),
      h("button", { type: "button", class: "btn", onclick: () => done(!!auth.token) }, "Cancel"))));
  });
}

function updateButton() {
  const btn = document.getElementById("token-btn");
  btn.textContent = auth.token ? `Reviewer: ${auth.user || "signed in"}` : "Reviewer sign-in";
}

function describe(e) {
  if (e.kind === "place") {
    const coords = e.latitude != null ? ` (${Number(e.latitude).toFixed(3)}, ${Number(e.longitude).toFixed(3)})` : "";
    return `${[e.admin2, e.admin1, e.country].filter(Boolean).join(", ")}${coords}`;
  }
  if (e.kind === "alias") return `an alias of ${e.actor}`;
  return `a new actor${e.inter ? `, inter ${e.inter}` : ""}${e.country ? `, in ${e.country}` : ""}`;
}

async function undo(entry) {
  if (!auth.token && !(await signIn())) return;
  try {
    await api(`/api/learned/${encodeURIComponent(entry.id)}`, { method: "DELETE" });
    toast(`Undone: ${entry.kind} ${entry.name}. Extraction no longer uses it.`);
    await load();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      toast(`${err.message}. Sign in again with the reviewer token.`, "error", 6000);
      await signIn();
    } else {
      toast(`Could not undo: ${err.message}`, "error", 6000);
    }
  }
}

async function load() {
  const data = await api("/api/learned");
  document.getElementById("files").textContent = `Places: ${data.places_file} · actors and aliases: ${data.actors_file}`;
  const rows = data.entries.map((e) => h("tr", { "data-id": e.id, "data-kind": e.kind },
    h("td", { class: "kind" }, e.kind), h("td", { class: "name" }, e.name), h("td", {}, describe(e)),
    h("td", {}, e.added_by || "–"), h("td", {}, e.event_id || "–"), h("td", {}, String(e.added_at || "").replace("T", " ")),
    h("td", {}, h("button", { type: "button", class: "btn small", "data-action": "undo", onclick: () => undo(e) }, "Undo"))));
  fill(document.querySelector("#learned tbody"), rows);
  document.getElementById("empty").hidden = rows.length > 0;
  document.body.dataset.ready = "1";
}

document.getElementById("token-btn").addEventListener("click", () => signIn());
document.getElementById("modal-backdrop").addEventListener("click", closeModal);
updateButton();
load().catch((err) => toast(`Could not load: ${err.message}`, "error", 6000));
