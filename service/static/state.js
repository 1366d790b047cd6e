// What the page knows: the documents list, caches, and the guards against out-of-order answers.

export const VIEWS = ["search", "ask", "coverage"];

export const state = {
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

export const kindLabel = (k) => KIND_LABELS[k] || (k ? k.charAt(0).toUpperCase() + k.slice(1).replace(/-/g, " ") : "");

/** A document's id from its file name: the documents list, or else a result that cites it. */
export function documentIdForFile(file, results) {
  const d = state.docsByFile.get(file);
  if (d) return d.id;
  const r = (results || []).find((x) => x.citation.file === file);
  return r ? r.document.id : null;
}
