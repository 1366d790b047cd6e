// Citations: links into the document view (kept in the URL fragment), labels, and "Copy citation".

import { el } from "./dom.js";

/**
 * A link to the document view. `pieces` are the highlighted sentence's file ranges: one, or
 * several when the sentence is joined across a page break (the API's verbatim pieces).
 */
export function citationHref({ documentId, passageId, pieces }) {
  const p = new URLSearchParams();
  p.set("doc", documentId);
  if (passageId) p.set("passage", passageId);
  const ranges = (pieces || []).filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.end > r.start);
  if (ranges.length) p.set("s", ranges.map((r) => `${r.start}-${r.end}`).join(","));
  // Fragment only: it resolves against the page's current URL, so the search in ?… is kept as it is now.
  return `#${p.toString()}`;
}

export function readHash() {
  const h = new URLSearchParams(location.hash.replace(/^#/, ""));
  const pieces = (h.get("s") || "").split(",")
    .map((r) => /^(\d+)-(\d+)$/.exec(r.trim()))
    .filter(Boolean)
    .map((m) => ({ start: Number(m[1]), end: Number(m[2]) }))
    .filter((r) => r.end > r.start);
  return { documentId: h.get("doc"), passageId: h.get("passage"), pieces };
}

/** A citation's label, with its PDF page ("p. 12", or the printed label) when it has one. */
export function citationName(c) {
  if (c.page == null) return c.label;
  const first = c.page_label || c.page;
  const span = c.page_end && c.page_end !== c.page && !c.page_label ? `${first}–${c.page_end}` : `${first}`;
  return `${c.label}, p. ${span}`;
}

/** The citation as text to paste: every cited range (an answer's opening sentence and its detail
 * are two; what lies between them is not cited). */
export const citationText = (c) =>
  `${citationName(c)} (${c.file}, chars ${citationPieces(c).map((p) => `${p.start}–${p.end}`).join(", ")})`;

/** A citation's ranges: its spans (the verbatim pieces) or else its start–end. */
export function citationPieces(citation) {
  return citation.spans && citation.spans.length ? citation.spans : [{ start: citation.start, end: citation.end }];
}

export function citationLink(citation, { documentId, passageId, sentence }) {
  if (!documentId) return el("span", { class: "citation", text: citationName(citation) });
  return el("a", {
    class: "citation",
    attrs: { href: citationHref({ documentId, passageId, pieces: sentence ? citationPieces(citation) : [] }) },
    text: citationName(citation),
  });
}

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

export function copyButton(citation) {
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
