// Precedent web page: plain ES modules, no build step. This is the entry: running queries and
// wiring the page. The modules:
//   dom.js          element helpers (text only, never HTML)     state.js      shared state, labels
//   api.js          the API client and readable errors           form.js       tabs, filters, URL state
//   messages.js     status line, error box, busy state           citations.js  citation links, copy
//   results.js      search results                               ask.js        the Ask view's answer
//   passagetools.js similar passages, context, proposal fields   coverage.js   the Coverage grid
//   documentview.js the document view
//
// SECURITY: corpus text, queries and API strings are only ever put in the page with textContent /
// createTextNode (see dom.js). Nothing here uses innerHTML, so a document containing "<script>"
// shows as text and never runs. index.html also sets a Content-Security-Policy without 'unsafe-inline'.

import { api } from "./api.js";
import { renderAsk } from "./ask.js";
import { citationHref } from "./citations.js";
import { renderCoverage } from "./coverage.js";
import { $, el } from "./dom.js";
import { closeDocView, scrollToHighlight, syncDocView } from "./documentview.js";
import { applyUrlToForm, fillFilters, formState, refreshDocumentOptions, setView, writeUrl } from "./form.js";
import { clearError, clearResults, setBusy, setStatus, showError } from "./messages.js";
import { renderSearch } from "./results.js";
import { documentIdForFile, state } from "./state.js";

async function run({ push }) {
  clearError();
  const s = formState();
  if (s.view === "coverage") return runCoverage(push);
  if (!s.q) {
    state.runSeq++; // drop any answer still on its way
    clearResults();
    setStatus("");
    $("q").setAttribute("aria-invalid", "true");
    showError(s.view === "ask" ? "Type a question to ask." : "Type some words to search for.");
    $("q").focus();
    return;
  }
  writeUrl(push);
  state.renderedKey = location.search;
  const seq = ++state.runSeq;
  setBusy(true);
  setStatus(s.view === "ask" ? "Looking for an answer…" : "Searching…");
  try {
    if (s.view === "ask") {
      const data = await api("ask", { q: s.q, k: s.k, country: s.country, kind: s.kind, document: s.document });
      if (seq === state.runSeq) renderAsk(data);
    } else {
      const data = await api("search", {
        q: s.q, k: s.k, country: s.country, kind: s.kind, document: s.document, mode: s.mode,
      });
      if (seq === state.runSeq) renderSearch(data);
    }
  } catch (err) {
    showRunError(seq, err);
  } finally {
    if (seq === state.runSeq) setBusy(false);
  }
}

/** A failed query or grid load: shown only if no newer one has started since. */
function showRunError(seq, err) {
  if (seq !== state.runSeq) return;
  clearResults();
  setStatus("");
  showError(err.message || String(err));
}

async function runCoverage(push) {
  writeUrl(push);
  state.renderedKey = location.search;
  const seq = ++state.runSeq;
  setBusy(true);
  setStatus("Loading the coverage grid…");
  try {
    const grid = await api("coverage");
    if (seq !== state.runSeq) return;
    clearResults();
    renderCoverage($("answer"), grid, { el, citationHref, documentIdForFile });
    $("answer").hidden = false;
    setStatus(`Coverage: ${grid.rows.length} recommendations, ${grid.countries.length} countries.`);
  } catch (err) {
    showRunError(seq, err);
  } finally {
    if (seq === state.runSeq) setBusy(false);
  }
}

async function syncFromUrl() {
  if (location.search !== state.renderedKey) {
    applyUrlToForm();
    state.renderedKey = location.search;
    if (state.view === "coverage" || $("q").value.trim()) run({ push: false }); // the grid needs no query
    else {
      state.runSeq++;
      clearError();
      clearResults();
      setStatus("Type a query to search the corpus.");
    }
  }
  syncDocView();
}

function wire() {
  $("query-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run({ push: true });
  });
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      if (state.view === tab.dataset.view) return;
      setView(tab.dataset.view);
      clearError();
      if (state.view === "coverage" || $("q").value.trim()) run({ push: true });
      else {
        clearResults();
        setStatus(state.view === "ask" ? "Ask a question; the answer cites the documents." : "Type a query to search the corpus.");
        writeUrl(true);
        state.renderedKey = location.search;
      }
      $("q").focus();
    });
  }
  for (const id of ["f-country", "f-kind", "f-document", "f-mode", "f-k"]) {
    $(id).addEventListener("change", () => {
      if (id === "f-country" || id === "f-kind") refreshDocumentOptions();
      if ($("q").value.trim()) run({ push: true });
      else {
        writeUrl(false);
        state.renderedKey = location.search;
      }
    });
  }
  $("q").addEventListener("input", () => {
    if ($("q").value.trim()) {
      $("q").removeAttribute("aria-invalid");
    }
  });
  $("doc-close").addEventListener("click", closeDocView);
  $("doc-jump").addEventListener("click", () => scrollToHighlight(true));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("doc-view").hidden) closeDocView();
  });
  window.addEventListener("popstate", syncFromUrl);
  window.addEventListener("hashchange", syncFromUrl);
}

async function start() {
  wire();
  try {
    fillFilters(await api("documents"));
  } catch (err) {
    showError(`${err.message} The filters are unavailable until the service answers.`);
  }
  const typed = $("q").value; // typed while the documents loaded: a URL with no query keeps it
  await syncFromUrl();
  if (typed && !new URLSearchParams(location.search).get("q")) $("q").value = typed;
  document.body.classList.add("ready");
}

start();
