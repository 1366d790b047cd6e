// Search results: ranked passages, each cited, with its highlighted sentence and per-passage tools.

import { citationHref, citationName, citationPieces, copyButton } from "./citations.js";
import { $, append, clear, el } from "./dom.js";
import { clearResults, setStatus } from "./messages.js";
import { contextControl, proposalFields, similarControl } from "./passagetools.js";
import { kindLabel } from "./state.js";

const EXCERPT_LIMIT = 700;
const CONTEXT = 260;

export function renderSearch(data) {
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
  if (interp.countries_absent && interp.countries_absent.length) {
    notes.push(`no document in the index is of ${interp.countries_absent.join(", ")}`);
  }
  if (interp.phrases && interp.phrases.length) notes.push(`exact wording: ${interp.phrases.map((p) => `“${p}”`).join(", ")}`);
  if (interp.cited && interp.cited.length) {
    notes.push(`cited: ${interp.cited.join(", ")}${interp.cited_found ? "" : ": no passage is headed so"}`);
  }
  if (interp.weak_evidence) notes.push("nothing in the documents comes near this question: these are only the nearest passages");
  if (notes.length) parts.push(el("span", { class: "interp", text: ` (${notes.join("; ")})` }));
  if (!n) parts.push(". Try fewer words or remove a filter.");
  setStatus(...parts);
  append($("results"), data.results.map(renderResult));
}

export function renderResult(r) {
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
    el("span", { class: "rank", attrs: { "aria-hidden": "true" }, text: r.rank }),
    el("div", { class: "result-titles" },
      el("span", { class: "visually-hidden", text: `Rank ${r.rank}` }),
      r.heading && r.heading.length ? el("p", { class: "heading-path", text: r.heading.join(" › ") }) : null,
      el("a", { class: "citation", attrs: { href, id: `result-cite-${r.rank}` }, text: citationName(r.citation) }),
      badges,
    ),
  );
  const li = el("li", { class: "result", data: { country: r.document.country || "", passageId: r.passage_id, rank: r.rank } },
    head, renderPassage(r.text, pieces));
  const fields = proposalFields(r.fields);
  if (fields) li.append(el("div", { class: "result-fields" }, fields));
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
  const similar = similarControl(r.passage_id);
  const context = contextControl(r.passage_id);
  // the same button names on every result: each says which passage it is for
  for (const b of [similar.button, context.button]) b.setAttribute("aria-describedby", `result-cite-${r.rank}`);
  li.append(el("div", { class: "result-actions" },
    copyButton(r.citation),
    similar.button,
    context.button,
    el("span", { class: "offsets", text: `${r.citation.file} · chars ${r.citation.start}–${r.citation.end}` }),
  ), context.panel, similar.panel);
  return li;
}

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
