// The Ask view: an answer quoted from the documents (one row per country, or cited sentences),
// with the supporting passages under it.

import { citationLink, copyButton } from "./citations.js";
import { $, append, el } from "./dom.js";
import { clearResults, setStatus } from "./messages.js";
import { renderResult } from "./results.js";
import { documentIdForFile } from "./state.js";

function countryTable(rec, countryRows, data, notInResponse = []) {
  const rows = countryRows.map((row) => {
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
  for (const country of notInResponse) {
    rows.push(el("tr", { class: "not-in-response-row", data: { country } },
      el("th", { attrs: { scope: "row" }, text: country }),
      el("td", { class: "answer-sentence" },
        el("span", { class: "badge badge-warn not-in-response", text: "Not in its response" }),
        el("span", { class: "muted", text: " — the response does not contain this recommendation." })),
      el("td", { class: "answer-cite" })));
  }
  if (!rows.length) return el("p", { class: "muted", text: "No country responded to this recommendation." });
  return el("div", { class: "table-wrap" }, el("table", { class: "by-country" },
    el("caption", { class: "visually-hidden", text: `Answers by country: ${rec}` }),
    el("thead", {}, el("tr", {},
      el("th", { attrs: { scope: "col" }, text: "Country" }),
      el("th", { attrs: { scope: "col" }, text: "Answer" }),
      el("th", { attrs: { scope: "col" }, text: "Citation" }))),
    el("tbody", {}, rows),
  ));
}

function byCountry(a, data) {
  const box = $("answer");
  const rec = a.recommendation || "";
  box.append(el("p", { class: "answer-lead" },
    "Answers by country to ", el("strong", { text: rec || "the matching recommendation" }), "."));
  const recText = a.recommendation_ref && a.recommendation_ref.text;
  if (recText) box.append(el("blockquote", { class: "recommendation-text", text: recText }));
  if ((a.other_recommendations || []).length) {
    box.append(el("p", { class: "muted", text: `The evidence also points to: ${a.other_recommendations.join("; ")}.` }));
  }
  box.append(countryTable(rec, a.by_country, data, a.not_in_response || []));
  // asked about a whole issue: each of its other recommendations, in the questionnaire's order
  for (const t of a.issue_tables || []) {
    const section = el("section", { class: "issue-table", data: { recommendation: t.recommendation } },
      el("h3", { class: "answer-lead", text: t.recommendation }));
    if (t.recommendation_ref && t.recommendation_ref.text) {
      section.append(el("blockquote", { class: "recommendation-text", text: t.recommendation_ref.text }));
    }
    section.append(countryTable(t.recommendation, t.by_country, data, t.not_in_response || []));
    box.append(section);
  }
}

function sentences(a, data) {
  const box = $("answer");
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

export function renderAsk(data) {
  clearResults();
  const box = $("answer");
  const a = data.answer;
  box.append(el("h2", { class: "answer-title", text: "Answer" }));
  if (a.weak_evidence) {
    box.append(el("p", { class: "weak-evidence", attrs: { role: "note" },
      text: "The documents may not answer this question: nothing in them comes near it. Below is only the nearest." }));
  }
  if ((a.cited_missing || []).length) {
    box.append(el("p", { class: "cited-missing", attrs: { role: "note" },
      text: `No passage is headed ${a.cited_missing.join(", ")}. Below are the nearest passages.` }));
  }
  if ((a.countries_absent || []).length) {
    box.append(el("p", { class: "countries-absent", attrs: { role: "note" },
      text: `No document in the index is of ${a.countries_absent.join(", ")}: this is what the other documents say.` }));
  }
  if (a.type === "by_country") byCountry(a, data);
  else sentences(a, data);
  box.hidden = false;
  const n = data.results.length;
  setStatus(`Answer for `, el("q", { class: "query-echo", text: data.query }),
    n ? ` — with ${n} supporting passage${n === 1 ? "" : "s"} below.` : ".");
  if (n) {
    $("results-title").hidden = false;
    append($("results"), data.results.map(renderResult));
  }
}
