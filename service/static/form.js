// The query form: tabs (views), filters filled from the documents list, and the form <-> URL state.

import { $, el } from "./dom.js";
import { VIEWS, kindLabel, state } from "./state.js";

const FILTERS = ["country", "kind", "document", "mode", "k"];
const DEFAULTS = { mode: "hybrid", k: "10" };

export function formState() {
  return {
    q: $("q").value.trim(),
    view: state.view,
    country: $("f-country").value,
    kind: $("f-kind").value,
    document: $("f-document").value,
    mode: $("f-mode").value,
    k: $("f-k").value,
  };
}

function searchString(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  if (s.view !== "search") p.set("view", s.view);
  if (s.view === "search") {
    for (const f of FILTERS) if (s[f] && s[f] !== DEFAULTS[f]) p.set(f, s[f]);
  } else if (s.view === "ask") {
    for (const f of ["country", "kind", "document", "k"]) if (s[f] && s[f] !== DEFAULTS[f]) p.set(f, s[f]);
  }
  const str = p.toString();
  return str ? `?${str}` : "";
}

export function writeUrl(push) {
  const url = `${location.pathname}${searchString(formState())}${location.hash}`;
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  history[push ? "pushState" : "replaceState"](null, "", url);
}

function setSelect(select, value) {
  if (!value) {
    select.value = select.options[0] ? select.options[0].value : "";
    return;
  }
  if (![...select.options].some((o) => o.value === value)) {
    // Unknown to the list (e.g. the documents list failed): keep it, the API will judge it.
    select.append(el("option", { text: value, attrs: { value } }));
  }
  select.value = value;
}

export function applyUrlToForm() {
  const p = new URLSearchParams(location.search);
  $("q").value = p.get("q") || "";
  setView(VIEWS.includes(p.get("view")) ? p.get("view") : "search");
  setSelect($("f-country"), p.get("country"));
  setSelect($("f-kind"), p.get("kind"));
  refreshDocumentOptions();
  setSelect($("f-document"), p.get("document"));
  setSelect($("f-mode"), p.get("mode") || DEFAULTS.mode);
  setSelect($("f-k"), p.get("k") || DEFAULTS.k);
}

export function fillFilters(docs) {
  state.docs = docs;
  state.docsById = new Map(docs.map((d) => [d.id, d]));
  state.docsByFile = new Map(docs.map((d) => [d.file, d]));
  const countries = [...new Set(docs.map((d) => d.country).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  const kinds = [...new Set(docs.map((d) => d.kind).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  $("f-country").replaceChildren(
    el("option", { text: "All countries", attrs: { value: "" } }),
    ...countries.map((c) => el("option", { text: c, attrs: { value: c } })),
  );
  $("f-kind").replaceChildren(
    el("option", { text: "All kinds", attrs: { value: "" } }),
    ...kinds.map((k) => el("option", { text: kindLabel(k), attrs: { value: k } })),
  );
  refreshDocumentOptions();
}

/** The document list narrows to the chosen country and kind. */
export function refreshDocumentOptions() {
  const select = $("f-document");
  const current = select.value;
  const country = $("f-country").value;
  const kind = $("f-kind").value;
  const docs = state.docs
    .filter((d) => (!country || d.country === country) && (!kind || d.kind === kind))
    .sort((a, b) => a.title.localeCompare(b.title));
  select.replaceChildren(
    el("option", { text: "All documents", attrs: { value: "" } }),
    ...docs.map((d) => el("option", { text: d.title, attrs: { value: d.id } })),
  );
  select.value = docs.some((d) => d.id === current) ? current : "";
}

export function setView(view) {
  state.view = view;
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", tab.dataset.view === view ? "true" : "false");
  }
  const ask = view === "ask";
  $("submit").textContent = ask ? "Ask" : "Search";
  $("q-label").textContent = ask ? "Ask a question about the documents" : "Search the documents";
  $("q").placeholder = ask ? "e.g. which countries grant FIU access to police?" : "e.g. FIU access to police";
  $("q-hint").textContent = ask
    ? "Ask across countries (“which countries …?”) for one row per country; the answer quotes the documents only."
    : "Put words in \"double quotes\" to match that exact wording.";
  const coverage = view === "coverage";
  $("query-form").hidden = coverage;
  $("f-mode").closest(".field").hidden = ask;
  $("f-mode").disabled = ask;
  document.body.dataset.view = view;
}
