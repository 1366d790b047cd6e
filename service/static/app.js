// Precedent web page: plain ES module, no build step.
//
// SECURITY: corpus text, queries and API strings are only ever put in the page with textContent /
// createTextNode (see el()). Nothing here uses innerHTML, so a document containing "<script>" shows
// as text and never runs. index.html also sets a Content-Security-Policy without 'unsafe-inline'.
//
// OFFSETS: the API's character offsets are Python str indices (Unicode code points) into the
// verbatim corpus file; JavaScript strings index UTF-16 code units. The two agree unless a character
// outside the Basic Multilingual Plane precedes the offset. Checked over corpus/*.txt: no such
// character today (the superscripts like "¹" and dashes are BMP), so the indices are equal. The
// conversion in codePointIndexer() still runs, so a future file with, say, an emoji stays exact.

import { renderCoverage } from "./coverage.js";

const $ = (id) => document.getElementById(id);
const VIEWS = ["search", "ask", "coverage"];

const state = {
  view: "search",          // "search" | "ask" | "coverage"
  docs: [],                // GET /documents
  docsById: new Map(),
  docsByFile: new Map(),
  docCache: new Map(),     // id -> Promise of GET /documents/{id}
  runSeq: 0,               // guards against out-of-order responses
  docSeq: 0,
  renderedKey: null,       // the URL search string last rendered
  renderedDocKey: null,    // the URL hash last rendered
  returnFocus: null,       // where focus goes back when the document view closes
};

const KIND_LABELS = {
  "questionnaire-response": "Questionnaire response",
  "action-plan": "Action plan",
  "position-paper": "Position paper",
  report: "Report",
};
const kindLabel = (k) => KIND_LABELS[k] || (k ? k.charAt(0).toUpperCase() + k.slice(1).replace(/-/g, " ") : "");

// ---- DOM helpers (text only, never HTML) ---------------------------------------------------------

/** Build an element. props: {class, text, attrs, data, on}; children: nodes or strings (as text). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  for (const [k, v] of Object.entries(props.attrs || {})) {
    if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const [k, v] of Object.entries(props.data || {})) {
    if (v !== undefined && v !== null) node.dataset[k] = String(v);
  }
  for (const [k, v] of Object.entries(props.on || {})) node.addEventListener(k, v);
  append(node, ...children);
  return node;
}

function append(node, ...children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const clear = (node) => node.replaceChildren();

// ---- API ---------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

function describeError(status, body) {
  const detail = body && body.detail;
  let message = "";
  if (typeof detail === "string" && detail) {
    message = detail;
  } else if (Array.isArray(detail)) { // FastAPI validation errors
    message = detail
      .map((e) => {
        const where = (e.loc || []).filter((p) => p !== "query" && p !== "body" && p !== "path").join(".");
        return where ? `${where}: ${e.msg}` : e.msg;
      })
      .join("; ");
  }
  if (status === 503) return `The search index is not available: ${message || "the service has no index to search."}`;
  if (status >= 500) {
    return `The service failed (HTTP ${status})${message ? `: ${message}` : "."} Try again; if it persists, check the service log.`;
  }
  if (!message) return `The request was refused (HTTP ${status}).`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

async function api(path, params = {}) {
  const url = new URL(path, document.baseURI);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch {
    throw new ApiError("Could not reach the Precedent service. Check that it is running, then try again.", 0);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(describeError(response.status, body), response.status);
  if (body === null) throw new ApiError("The service sent an answer this page cannot read.", response.status);
  return body;
}

function getDocument(id) {
  if (!state.docCache.has(id)) {
    const p = api(`documents/${encodeURIComponent(id)}`);
    p.catch(() => state.docCache.delete(id)); // retry next time
    state.docCache.set(id, p);
  }
  return state.docCache.get(id);
}

// ---- offsets -----------------------------------------------------------------------------------

/** A function from a code-point offset (the API's) to a UTF-16 index (JavaScript's) in `text`. */
function codePointIndexer(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => Math.max(0, Math.min(i, text.length));
  const units = [];
  let u = 0;
  for (const ch of text) {
    units.push(u);
    u += ch.length;
  }
  units.push(u);
  return (i) => units[Math.max(0, Math.min(i, units.length - 1))];
}

// ---- messages ----------------------------------------------------------------------------------

function showError(message) {
  const box = $("error");
  clear(box);
  append(box, el("strong", { text: "Sorry — " }), message);
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  clear($("error"));
  $("q").removeAttribute("aria-invalid");
}

function setStatus(...parts) {
  clear($("status"));
  append($("status"), ...parts);
}

function setBusy(busy) {
  // The button stays enabled: a new query supersedes one still running (see runSeq), and a
  // disabled default button would also block submitting with Enter.
  $("main").setAttribute("aria-busy", busy ? "true" : "false");
  document.body.classList.toggle("busy", busy);
}

// ---- URL state ---------------------------------------------------------------------------------

const FILTERS = ["country", "kind", "document", "mode", "k"];
const DEFAULTS = { mode: "hybrid", k: "10" };

function formState() {
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

function writeUrl(push) {
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

function applyUrlToForm() {
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

/**
 * A link to the document view. `pieces` are the highlighted sentence's file ranges: one, or
 * several when the sentence is joined across a page break (the API's verbatim pieces).
 */
function citationHref({ documentId, passageId, pieces }) {
  const p = new URLSearchParams();
  p.set("doc", documentId);
  if (passageId) p.set("passage", passageId);
  const ranges = (pieces || []).filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.end > r.start);
  if (ranges.length) p.set("s", ranges.map((r) => `${r.start}-${r.end}`).join(","));
  // Fragment only: it resolves against the page's current URL, so the search in ?… is kept as it is now.
  return `#${p.toString()}`;
}

function readHash() {
  const h = new URLSearchParams(location.hash.replace(/^#/, ""));
  const pieces = (h.get("s") || "").split(",")
    .map((r) => /^(\d+)-(\d+)$/.exec(r.trim()))
    .filter(Boolean)
    .map((m) => ({ start: Number(m[1]), end: Number(m[2]) }))
    .filter((r) => r.end > r.start);
  return { documentId: h.get("doc"), passageId: h.get("passage"), pieces };
}

// ---- filters -----------------------------------------------------------------------------------

function fillFilters(docs) {
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
function refreshDocumentOptions() {
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

// ---- views -------------------------------------------------------------------------------------

function setView(view) {
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

// ---- running a query ---------------------------------------------------------------------------

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

function clearResults() {
  clear($("results"));
  $("results-title").hidden = true;
  clear($("answer"));
  $("answer").hidden = true;
}

// ---- search results ----------------------------------------------------------------------------

function renderSearch(data) {
  clearResults();
  const n = data.results.length;
  const parts = [
    n ? `${n} result${n === 1 ? "" : "s"} for ` : "No results for ",
    el("q", { class: "query-echo", text: data.query }),
  ];
  const interp = data.interpreted || {};
  const notes = [];
  if (interp.expansions && interp.expansions.length) notes.push(`also searched: ${interp.expansions.join(", ")}`);
  if (interp.countries && interp.countries.length) notes.push(`countries named: ${interp.countries.join(", ")}`);
  if (interp.phrases && interp.phrases.length) notes.push(`exact wording: ${interp.phrases.map((p) => `“${p}”`).join(", ")}`);
  if (notes.length) parts.push(el("span", { class: "interp", text: ` (${notes.join("; ")})` }));
  if (!n) parts.push(". Try fewer words or remove a filter.");
  setStatus(...parts);
  append($("results"), data.results.map(renderResult));
}

function renderResult(r) {
  const pieces = r.highlight || [];
  const href = citationHref({ documentId: r.document.id, passageId: r.passage_id, pieces });
  const badges = el("div", { class: "badges" },
    r.document.country ? el("span", { class: "tag tag-country", text: r.document.country }) : null,
    el("span", { class: "tag", text: kindLabel(r.document.kind) }),
    r.answered === false
      ? el("span", { class: "badge badge-warn no-comment", attrs: { title: "This response left the recommendation without a comment" } },
        el("span", { class: "badge-key", text: "answered:" }), " no comment reported")
      : null,
  );
  const head = el("div", { class: "result-head" },
    el("span", { class: "rank", attrs: { "aria-label": `Rank ${r.rank}` }, text: r.rank }),
    el("div", { class: "result-titles" },
      r.heading && r.heading.length ? el("p", { class: "heading-path", text: r.heading.join(" › ") }) : null,
      el("a", { class: "citation", attrs: { href }, text: citationName(r.citation) }),
      badges,
    ),
  );
  const li = el("li", { class: "result", data: { country: r.document.country || "", passageId: r.passage_id, rank: r.rank } },
    head, renderPassage(r.text, pieces));
  if (r.also_in && r.also_in.length) {
    const links = r.also_in.map((a) => el("a", {
      class: "citation also-in-link",
      attrs: { href: citationHref({ documentId: a.document.id, passageId: a.passage_id, pieces: citationPieces(a.citation) }) },
      text: a.citation.label,
    }));
    const list = [];
    links.forEach((a, i) => list.push(i ? "; " : "", a));
    li.append(el("p", { class: "also-in" }, el("span", { class: "also-in-key", text: "Same wording also in: " }), ...list));
  }
  li.append(el("div", { class: "result-actions" },
    copyButton(r.citation),
    el("span", { class: "offsets", text: `${r.citation.file} · chars ${r.citation.start}–${r.citation.end}` }),
  ));
  return li;
}

const EXCERPT_LIMIT = 700;
const CONTEXT = 260;

/** Where each highlight piece's text stands in the passage text, in order; null if one is not found. */
function locatePieces(text, pieces) {
  const found = [];
  let from = 0;
  for (const p of pieces) {
    if (!p.text) continue;
    const at = text.indexOf(p.text, from);
    if (at < 0) return null;
    found.push({ start: at, end: at + p.text.length });
    from = at + p.text.length;
  }
  return found;
}

/** The passage text with its highlighted sentence marked; long passages open as an excerpt. */
function renderPassage(text, pieces) {
  const wrap = el("div", { class: "result-passage" });
  const withText = pieces.filter((p) => p.text);
  const ranges = locatePieces(text, withText) || [];
  if (withText.length && !ranges.length) {
    // The sentence is not verbatim in the passage text: show it above instead.
    wrap.append(el("blockquote", { class: "hl-above" },
      el("mark", { class: "hl-sentence", text: withText.map((p) => p.text).join(" ") })));
  }
  const body = el("p", { class: "passage-text" });
  wrap.append(body);
  const long = text.length > EXCERPT_LIMIT;
  const draw = (full) => {
    clear(body);
    let from = 0;
    let to = text.length;
    if (!full && long) {
      const anchor = ranges.length ? ranges[0].start : 0;
      const anchorEnd = ranges.length ? ranges[ranges.length - 1].end : 0;
      from = Math.max(0, anchor - CONTEXT);
      to = Math.min(text.length, Math.max(anchorEnd + CONTEXT, from + EXCERPT_LIMIT));
      if (from > 0) from = snapWord(text, from, 1);
      if (to < text.length) to = snapWord(text, to, -1);
    }
    if (from > 0) body.append("… ");
    let cursor = from;
    for (const r of ranges) {
      const a = Math.max(cursor, r.start);
      const b = Math.min(to, r.end);
      if (b <= a) continue;
      body.append(text.slice(cursor, a), el("mark", { class: "hl-sentence", text: text.slice(a, b) }));
      cursor = b;
    }
    body.append(text.slice(cursor, to));
    if (to < text.length) body.append(" …");
  };
  draw(false);
  if (long) {
    const toggle = el("button", {
      class: "link-button", text: "Show full passage",
      attrs: { type: "button", "aria-expanded": "false" },
    });
    toggle.addEventListener("click", () => {
      const full = toggle.getAttribute("aria-expanded") !== "true";
      draw(full);
      toggle.setAttribute("aria-expanded", String(full));
      toggle.textContent = full ? "Show excerpt" : "Show full passage";
    });
    wrap.append(toggle);
  }
  return wrap;
}

function snapWord(text, i, dir) {
  const limit = 40;
  for (let n = 0; n < limit; n++) {
    const j = i + n * dir;
    if (j <= 0 || j >= text.length) return i;
    if (/\s/.test(text[j])) return dir > 0 ? j + 1 : j;
  }
  return i;
}

// ---- copy citation -----------------------------------------------------------------------------

/** A citation's label, with its PDF page ("p. 12", or the printed label) when it has one. */
function citationName(c) {
  if (c.page == null) return c.label;
  const first = c.page_label || c.page;
  const span = c.page_end && c.page_end !== c.page && !c.page_label ? `${first}–${c.page_end}` : `${first}`;
  return `${c.label}, p. ${span}`;
}

const citationText = (c) => `${citationName(c)} (${c.file}, chars ${c.start}–${c.end})`;

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = el("textarea", { class: "clip-helper", attrs: { readonly: true, "aria-hidden": "true", tabindex: "-1" } });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

function copyButton(citation) {
  const text = citationText(citation);
  const button = el("button", {
    class: "secondary copy-citation", text: "Copy citation",
    attrs: { type: "button", title: text, "aria-label": `Copy citation: ${text}` },
  });
  const live = el("span", { class: "visually-hidden", attrs: { "aria-live": "polite" } });
  let timer = null;
  button.addEventListener("click", async () => {
    const ok = await copyText(text);
    if (!ok) window.prompt("Copy this citation:", text);
    button.textContent = ok ? "Copied" : "Copy citation";
    button.classList.toggle("copied", ok);
    live.textContent = ok ? "Citation copied" : "";
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = "Copy citation";
      button.classList.remove("copied");
      live.textContent = "";
    }, 2000);
  });
  return el("span", { class: "copy-wrap" }, button, live);
}

// ---- coverage ----------------------------------------------------------------------------------

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

// ---- ask ---------------------------------------------------------------------------------------

function documentIdForFile(file, results) {
  const d = state.docsByFile.get(file);
  if (d) return d.id;
  const r = (results || []).find((x) => x.citation.file === file);
  return r ? r.document.id : null;
}

/** A citation's ranges: its spans (the verbatim pieces) or else its start–end. */
function citationPieces(citation) {
  return citation.spans && citation.spans.length ? citation.spans : [{ start: citation.start, end: citation.end }];
}

function citationLink(citation, { documentId, passageId, sentence }) {
  if (!documentId) return el("span", { class: "citation", text: citationName(citation) });
  return el("a", {
    class: "citation",
    attrs: { href: citationHref({ documentId, passageId, pieces: sentence ? citationPieces(citation) : [] }) },
    text: citationName(citation),
  });
}

function renderAsk(data) {
  clearResults();
  const box = $("answer");
  const a = data.answer;
  box.append(el("h2", { class: "answer-title", text: "Answer" }));
  if (a.type === "by_country") {
    const rec = a.recommendation || "";
    box.append(el("p", { class: "answer-lead" },
      "Answers by country to ", el("strong", { text: rec || "the matching recommendation" }), "."));
    const recText = a.recommendation_ref && a.recommendation_ref.text;
    if (recText) box.append(el("blockquote", { class: "recommendation-text", text: recText }));
    if ((a.other_recommendations || []).length) {
      box.append(el("p", { class: "muted", text: `The evidence also points to: ${a.other_recommendations.join("; ")}.` }));
    }
    const rows = a.by_country.map((row) => {
      const documentId = documentIdForFile(row.citation.file, data.results);
      const mark = row.action_taken && row.action_taken !== "unknown"
        ? el("span", { class: "badge", text: `action taken: ${row.action_taken}` }) : null;
      const answer = row.answered
        ? el("td", { class: "answer-sentence" }, row.sentence, mark ? " " : null, mark)
        : el("td", { class: "answer-sentence" },
          el("span", { class: "badge badge-warn no-comment", text: "No comment reported" }),
          el("span", { class: "muted", text: " — the response left this recommendation blank." }));
      return el("tr", { class: row.answered ? "answered" : "no-comment-row", data: { country: row.country } },
        el("th", { attrs: { scope: "row" }, text: row.country }),
        answer,
        el("td", { class: "answer-cite" },
          citationLink(row.citation, { documentId, passageId: row.passage_id, sentence: row.answered })),
      );
    });
    box.append(el("div", { class: "table-wrap" }, el("table", { class: "by-country" },
      el("caption", { class: "visually-hidden", text: `Answers by country: ${rec}` }),
      el("thead", {}, el("tr", {},
        el("th", { attrs: { scope: "col" }, text: "Country" }),
        el("th", { attrs: { scope: "col" }, text: "Answer" }),
        el("th", { attrs: { scope: "col" }, text: "Citation" }))),
      el("tbody", {}, rows),
    )));
    if (!rows.length) box.append(el("p", { class: "muted", text: "No country responded to this recommendation." }));
  } else {
    const items = (a.sentences || []).map((s) => {
      const c = s.citation;
      const documentId = c ? documentIdForFile(c.file, data.results) : null;
      const quote = s.answered === false
        ? el("p", { class: "answer-quote" }, el("span", { class: "badge badge-warn no-comment", text: "No comment reported" }),
          el("span", { class: "muted", text: ` — ${s.country || "the response"} left this recommendation blank.` }))
        : el("blockquote", { class: "answer-quote", text: s.text });
      return el("li", { class: "answer-item" },
        quote,
        c ? citationLink(c, { documentId, passageId: s.passage_id, sentence: true }) : null,
        c ? copyButton(c) : null);
    });
    if (items.length) box.append(el("ol", { class: "answer-sentences" }, items));
    else box.append(el("p", { class: "muted", text: "The documents do not answer this question." }));
  }
  box.hidden = false;
  const n = data.results.length;
  setStatus(`Answer for `, el("q", { class: "query-echo", text: data.query }),
    n ? ` — with ${n} supporting passage${n === 1 ? "" : "s"} below.` : ".");
  if (n) {
    $("results-title").hidden = false;
    append($("results"), data.results.map(renderResult));
  }
}

// ---- document view -----------------------------------------------------------------------------

function mergeSpans(spans) {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Parts of `span` not covered by `cuts` (sorted, disjoint). */
function subtract(span, cuts) {
  const parts = [];
  let start = span.start;
  for (const c of cuts) {
    if (c.end <= start || c.start >= span.end) continue;
    if (c.start > start) parts.push({ start, end: c.start });
    start = Math.max(start, c.end);
  }
  if (start < span.end) parts.push({ start, end: span.end });
  return parts;
}

/**
 * The document text as nodes: the cited passage's spans in <mark class="passage">, each piece of
 * the highlighted sentence in a <mark class="sentence">, nested in the passage mark when the piece
 * lies inside one span (the usual case). Offsets here are already UTF-16 indices.
 */
function markedText(text, passageSpans, sentencePieces) {
  const clip = (r) => ({ start: Math.max(0, Math.min(r.start, text.length)), end: Math.max(0, Math.min(r.end, text.length)) });
  const spans = mergeSpans(passageSpans.map(clip));
  const pieces = mergeSpans(sentencePieces.map(clip));
  const inside = (r, s) => s.start <= r.start && r.end <= s.end;
  const loose = pieces.filter((p) => !spans.some((s) => inside(p, s)));
  const ranges = loose.map((p) => ({ ...p, kind: "sentence" }));
  for (const span of spans) {
    for (const part of subtract(span, loose)) {
      ranges.push({ ...part, kind: "passage", inner: pieces.filter((p) => inside(p, part)) });
    }
  }
  ranges.sort((a, b) => a.start - b.start);

  const frag = document.createDocumentFragment();
  let cursor = 0;
  for (const r of ranges) {
    if (r.start > cursor) frag.append(text.slice(cursor, r.start));
    if (r.kind === "sentence") {
      frag.append(el("mark", { class: "sentence", text: text.slice(r.start, r.end) }));
    } else {
      const mark = el("mark", { class: "passage" });
      let at = r.start;
      for (const p of r.inner) {
        mark.append(text.slice(at, p.start), el("mark", { class: "sentence", text: text.slice(p.start, p.end) }));
        at = p.end;
      }
      mark.append(text.slice(at, r.end));
      frag.append(mark);
    }
    cursor = r.end;
  }
  if (cursor < text.length) frag.append(text.slice(cursor));
  return frag;
}

/** Scroll the document text (only it: the results keep their place) to the highlight. */
function scrollToHighlight(smooth) {
  const box = $("doc-text");
  const target = box.querySelector("mark.sentence") || box.querySelector("mark.passage");
  const pane = $("doc-view").getBoundingClientRect();
  if (pane.top < 0 || pane.top > window.innerHeight * 0.5) {
    $("doc-view").scrollIntoView({ block: "start", behavior: smooth ? "smooth" : "auto" });
  }
  if (!target) return;
  const offset = target.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  box.scrollTo({ top: Math.max(0, offset - box.clientHeight / 3), behavior: smooth ? "smooth" : "auto" });
}

async function syncDocView() {
  const key = location.hash;
  if (key === state.renderedDocKey) return;
  state.renderedDocKey = key;
  const { documentId, passageId, pieces } = readHash();
  const pane = $("doc-view");
  if (!documentId) {
    state.docSeq++;
    pane.hidden = true;
    document.body.classList.remove("doc-open");
    return;
  }
  const seq = ++state.docSeq;
  if (pane.hidden) state.returnFocus = document.activeElement; // given back on close
  pane.hidden = false;
  document.body.classList.add("doc-open");
  $("doc-error").hidden = true;
  $("doc-title").textContent = state.docsById.get(documentId)?.title || "Loading document…";
  $("doc-meta").textContent = "";
  $("doc-cited").textContent = "";
  $("doc-text").replaceChildren(el("p", { class: "muted", text: "Loading the document…" }));
  pane.setAttribute("aria-busy", "true");
  let doc;
  try {
    doc = await getDocument(documentId);
  } catch (err) {
    if (seq !== state.docSeq) return;
    pane.setAttribute("aria-busy", "false");
    $("doc-title").textContent = "Document unavailable";
    clear($("doc-text"));
    $("doc-error").textContent = err.message || String(err);
    $("doc-error").hidden = false;
    return;
  }
  if (seq !== state.docSeq) return;
  pane.setAttribute("aria-busy", "false");

  let passage = passageId ? doc.passage_spans.find((p) => p.passage_id === passageId) : null;
  if (!passage && pieces.length) {
    const at = pieces[0].start;
    passage = doc.passage_spans.find((p) => p.spans.some((s) => s.start <= at && at < s.end));
  }
  const toUnit = codePointIndexer(doc.text);
  const spans = passage ? passage.spans.map((s) => ({ start: toUnit(s.start), end: toUnit(s.end) })) : [];
  const sentence = pieces.map((r) => ({ start: toUnit(r.start), end: toUnit(r.end) }));

  $("doc-title").textContent = doc.title;
  $("doc-meta").textContent = [doc.country, kindLabel(doc.kind), doc.year, doc.file].filter(Boolean).join(" · ");
  const cited = [];
  if (passage) cited.push(`Cited: ${passage.label}`);
  if (pieces.length) {
    cited.push(`sentence at chars ${pieces.map((r) => `${r.start}–${r.end}`).join(", ")}`);
  }
  else if (passage && passage.spans.length) {
    cited.push(`chars ${passage.spans[0].start}–${passage.spans[passage.spans.length - 1].end}`);
  }
  $("doc-cited").textContent = cited.join(" · ");
  $("doc-text").replaceChildren(markedText(doc.text, spans, sentence));
  $("doc-jump").hidden = !(spans.length || sentence.length);
  $("doc-title").focus({ preventScroll: true });
  requestAnimationFrame(() => scrollToHighlight(false));
}

function closeDocView() {
  if (!location.hash) return;
  history.pushState(null, "", `${location.pathname}${location.search}`);
  syncDocView();
  const back = state.returnFocus;
  state.returnFocus = null;
  if (back && back.isConnected && back !== document.body) back.focus({ preventScroll: true });
  else $("q").focus({ preventScroll: true });
}

// ---- wiring ------------------------------------------------------------------------------------

async function syncFromUrl() {
  if (location.search !== state.renderedKey) {
    applyUrlToForm();
    state.renderedKey = location.search;
    if ($("q").value.trim()) run({ push: false });
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
  await syncFromUrl();
  document.body.classList.add("ready");
}

start();
