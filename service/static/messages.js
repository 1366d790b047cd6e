// The status line, the error box and the busy state shared by every view.

import { $, append, clear, el } from "./dom.js";

export function showError(message) {
  const box = $("error");
  clear(box);
  append(box, el("strong", { text: "Sorry — " }), message);
  box.hidden = false;
}

export function clearError() {
  $("error").hidden = true;
  clear($("error"));
  $("q").removeAttribute("aria-invalid");
}

export function setStatus(...parts) {
  clear($("status"));
  append($("status"), ...parts);
}

export function setBusy(busy) {
  // The button stays enabled: a new query supersedes one still running (see runSeq), and a
  // disabled default button would also block submitting with Enter.
  $("main").setAttribute("aria-busy", busy ? "true" : "false");
  document.body.classList.toggle("busy", busy);
}

export function clearResults() {
  clear($("results"));
  $("results-title").hidden = true;
  clear($("answer"));
  $("answer").hidden = true;
}
