// Per-passage tools shared by the results and the document view: a proposal's labelled fields,
// "Similar passages" (GET /passages/{id}/similar) and the passages before and after it
// (GET /passages/{id}, whose `previous` and `next` name the neighbours).

import { getDocument, getPassage, getSimilar } from "./api.js";
import { citationHref, citationName } from "./citations.js";
import { el } from "./dom.js";

let panelSeq = 0;

/** An action-plan proposal's "who" and "when" as labelled fields; null for other passages. */
export function proposalFields(fields) {
  if (!fields || (!fields.competence && !fields.deadline)) return null;
  const pair = (key, value) => (value ? [el("dt", { text: key }), el("dd", { text: value })] : null);
  return el("dl", { class: "proposal-fields" },
    pair("Competence", fields.competence),
    pair("Deadline", fields.deadline));
}

function excerpt(text, limit) {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf(" ", limit);
  return `${text.slice(0, cut > limit * 0.6 ? cut : limit)} …`;
}

/**
 * A button that opens a panel under it; the panel's content is loaded the first time it opens
 * (`load` returns nodes; a failure is shown in the panel and retried on the next open).
 */
export function disclosure({ label, className, load }) {
  const id = `tool-panel-${++panelSeq}`;
  const button = el("button", {
    class: `link-button ${className}-toggle`, text: label,
    attrs: { type: "button", "aria-expanded": "false", "aria-controls": id },
  });
  const panel = el("div", { class: `tool-panel ${className}-panel`, attrs: { id } });
  panel.hidden = true;
  let loaded = false;
  button.addEventListener("click", async () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (!open || loaded) return;
    loaded = true;
    panel.setAttribute("aria-busy", "true");
    panel.replaceChildren(el("p", { class: "muted", text: "Loading…" }));
    try {
      panel.replaceChildren(...(await load()));
    } catch (err) {
      loaded = false;
      panel.replaceChildren(el("p", { class: "tool-error", attrs: { role: "alert" }, text: err.message || String(err) }));
    } finally {
      panel.setAttribute("aria-busy", "false");
    }
  });
  return { button, panel };
}

function similarItem(r) {
  return el("li", { class: "similar", data: { passageId: r.passage_id } },
    el("a", {
      class: "citation",
      attrs: { href: citationHref({ documentId: r.document.id, passageId: r.passage_id, pieces: r.highlight }) },
      text: citationName(r.citation),
    }),
    r.document.country ? el("span", { class: "tag tag-country", text: r.document.country }) : null,
    el("p", { class: "similar-text", text: excerpt(r.text, 320) }),
    proposalFields(r.fields));
}

/** "Similar passages" for one passage: the closest in meaning elsewhere, each cited and linked. */
export function similarControl(passageId, k = 5) {
  return disclosure({
    label: "Similar passages",
    className: "similar",
    load: async () => {
      const data = await getSimilar(passageId, k);
      if (!data.results.length) return [el("p", { class: "muted", text: "No similar passages elsewhere in the corpus." })];
      return [el("p", { class: "context-key", text: "Closest in meaning elsewhere in the corpus:" }),
        el("ol", { class: "similar-list" }, data.results.map(similarItem))];
    },
  });
}

function neighbour(which, p) {
  const key = which === "previous" ? "Previous passage" : "Next passage";
  if (!p) {
    return el("div", { class: `context context-${which} context-none` },
      el("p", { class: "context-key", text: key }),
      el("p", { class: "muted", text: which === "previous" ? "None: this is where the document starts." : "None: this is where the document ends." }));
  }
  return el("div", { class: `context context-${which}`, data: { passageId: p.id } },
    el("p", { class: "context-key" }, `${key}: `,
      el("a", { class: "citation", attrs: { href: citationHref({ documentId: p.document.id, passageId: p.id }) }, text: citationName(p.citation) })),
    el("p", { class: "context-text", text: p.text }),
    proposalFields(p.fields));
}

/**
 * A passage with the ids of the passages before and after it: the API's `previous` and `next`,
 * or, when it names neither (it does not for questionnaire responses today), the order of the
 * document's passages (GET /documents/{id} lists them in reading order).
 */
export async function withNeighbours(passageId) {
  const p = await getPassage(passageId);
  if (p.previous || p.next) return { passage: p, previous: p.previous, next: p.next };
  const doc = await getDocument(p.document.id);
  const ids = doc.passage_spans.map((s) => s.passage_id);
  const at = ids.indexOf(passageId);
  return { passage: p, previous: at > 0 ? ids[at - 1] : null, next: at >= 0 && at + 1 < ids.length ? ids[at + 1] : null };
}

/** The passages just before and after this one in its document. */
export function contextControl(passageId) {
  return disclosure({
    label: "Context before and after",
    className: "context",
    load: async () => {
      const { previous, next: following } = await withNeighbours(passageId);
      const [prev, next] = await Promise.all([
        previous ? getPassage(previous) : null,
        following ? getPassage(following) : null,
      ]);
      return [neighbour("previous", prev), neighbour("next", next)];
    },
  });
}
