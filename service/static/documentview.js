// The document view: the whole verbatim document with the cited passage and sentence marked,
// the passages before and after, similar passages, and for a PDF the page image.
//
// OFFSETS: the API's character offsets are Python str indices (Unicode code points) into the
// verbatim corpus file; JavaScript strings index UTF-16 code units. The two agree unless a character
// outside the Basic Multilingual Plane precedes the offset. Checked over corpus/*.txt: no such
// character today (the superscripts like "¹" and dashes are BMP), so the indices are equal. The
// conversion in codePointIndexer() still runs, so a future file with, say, an emoji stays exact.

import { getDocument } from "./api.js";
import { citationHref, readHash } from "./citations.js";
import { $, clear, el } from "./dom.js";
import { disclosure, proposalFields, similarControl, withNeighbours } from "./passagetools.js";
import { kindLabel, state } from "./state.js";

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
export function scrollToHighlight(smooth) {
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

/** "Previous passage" / "Next passage" links, filled in when GET /passages/{id} answers. */
function passageNav(passageId, seq) {
  const nav = el("nav", { class: "passage-nav", attrs: { "aria-label": "Passages in this document" } });
  const fields = el("div", { class: "doc-fields" });
  withNeighbours(passageId).then(({ passage: p, previous, next }) => {
    if (seq !== state.docSeq) return;
    const link = (id, text, rel) => (id
      ? el("a", { class: "nav-link", attrs: { href: citationHref({ documentId: p.document.id, passageId: id }), rel }, text })
      : el("span", { class: "nav-link nav-none", text: `${text} (none)` }));
    nav.replaceChildren(link(previous, "← Previous passage", "prev"), link(next, "Next passage →", "next"));
    const dl = proposalFields(p.fields);
    if (dl) fields.replaceChildren(dl);
  }).catch(() => {
    nav.replaceChildren(); // the text is still shown; only the neighbours are missing
  });
  return [nav, fields];
}

/** For a PDF: the page image with the cited range boxed, behind a "Show page" toggle. */
function pageToggle(doc, ranges) {
  if (!doc.pages || !doc.pages.length || !ranges.length) return null;
  const start = Math.min(...ranges.map((r) => r.start));
  const page = doc.pages.find((p) => p.start <= start && start < p.end) || doc.pages.find((p) => start < p.end);
  if (!page) return null;
  const name = page.label ? `${page.number} (printed ${page.label})` : `${page.number}`;
  const spans = ranges.map((r) => `${r.start}-${r.end}`).slice(0, 16).join(","); // each piece boxed, not between
  const src = `documents/${encodeURIComponent(doc.id)}/pages/${page.number}.png?spans=${spans}`;
  return disclosure({
    label: `Show page ${page.number}`,
    className: "page",
    load: async () => [el("figure", { class: "page-figure" },
      el("img", { class: "page-image", attrs: { src, alt: `Page ${name} of ${doc.title}, the cited text boxed in red` } }),
      el("figcaption", { text: `Page ${name} as printed in the PDF; the cited text is boxed.` }))],
  });
}

function renderTools(doc, passage, pieces, seq) {
  const tools = $("doc-tools");
  const row = el("div", { class: "doc-tools-row" });
  const panels = [];
  if (passage) {
    const [nav, fields] = passageNav(passage.passage_id, seq);
    const similar = similarControl(passage.passage_id);
    row.append(nav, similar.button);
    panels.push(fields, similar.panel);
  }
  const page = pageToggle(doc, pieces.length ? pieces : passage ? passage.spans : []);
  if (page) {
    row.append(page.button);
    panels.push(page.panel);
  }
  tools.replaceChildren(row, ...panels);
  tools.hidden = !row.childElementCount;
}

export async function syncDocView() {
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
  $("doc-tools").hidden = true;
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
  } else if (passage && passage.spans.length) {
    cited.push(`chars ${passage.spans[0].start}–${passage.spans[passage.spans.length - 1].end}`);
  }
  $("doc-cited").textContent = cited.join(" · ");
  renderTools(doc, passage, pieces, seq);
  $("doc-text").replaceChildren(markedText(doc.text, spans, sentence));
  $("doc-jump").hidden = !(spans.length || sentence.length);
  $("doc-title").focus({ preventScroll: true });
  requestAnimationFrame(() => scrollToHighlight(false));
}

export function closeDocView() {
  if (!location.hash) return;
  history.pushState(null, "", `${location.pathname}${location.search}`);
  syncDocView();
  const back = state.returnFocus;
  state.returnFocus = null;
  if (back && back.isConnected && back !== document.body) back.focus({ preventScroll: true });
  else $("q").focus({ preventScroll: true });
}
