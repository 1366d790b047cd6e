// The Coverage view: every questionnaire recommendation against every country (GET /coverage).
// Text only ever goes in as text (the `el` helper builds nodes, never HTML).

/**
 * Render the grid into `box`. `helpers`: { el, citationHref, documentIdForFile }.
 * Each cell links to the document view at the cited sentence (or the blank recommendation).
 */
export function renderCoverage(box, grid, { el, citationHref, documentIdForFile }) {
  box.append(el("h2", { class: "answer-title", text: "Coverage by country" }));
  box.append(el("p", { class: "answer-lead" },
    `${grid.rows.length} recommendations × ${grid.countries.length} countries: what each response said, `,
    "or that it reported nothing. ",
    el("a", { attrs: { href: "coverage?format=csv", download: "coverage.csv" }, text: "Download CSV" })));
  const head = el("tr", {},
    el("th", { attrs: { scope: "col" }, text: "Recommendation" }),
    ...grid.countries.map((c) => el("th", { attrs: { scope: "col" }, text: c })));
  const rows = grid.rows.map((row) => el("tr", { data: { recommendation: `${row.issue}-${row.recommendation}` } },
    el("th", { attrs: { scope: "row" }, class: "coverage-rec" },
      el("span", { class: "coverage-label", text: row.label }),
      el("span", { class: "coverage-text", text: row.text })),
    ...grid.countries.map((country) => coverageCell(row.cells[country], { el, citationHref, documentIdForFile }))));
  box.append(el("div", { class: "table-wrap" }, el("table", { class: "coverage" },
    el("caption", { class: "visually-hidden", text: "Questionnaire coverage: recommendations by country" }),
    el("thead", {}, head), el("tbody", {}, rows))));
}

function coverageCell(cell, { el, citationHref, documentIdForFile }) {
  if (!cell) return el("td", { class: "coverage-cell not-in-response", text: "not in response" });
  const documentId = cell.document_id || documentIdForFile(cell.citation.file);
  const pieces = cell.citation.spans && cell.citation.spans.length ? cell.citation.spans
    : [{ start: cell.citation.start, end: cell.citation.end }];
  const link = el("a", {
    class: "citation",
    attrs: { href: citationHref({ documentId, passageId: cell.passage_id, pieces }) },
    text: cell.answered ? "Open in document" : "Open the blank recommendation",
  });
  const mark = cell.action_taken && cell.action_taken !== "unknown"
    ? el("span", { class: "badge", text: `action taken: ${cell.action_taken}` }) : null;
  if (!cell.answered) {
    return el("td", { class: "coverage-cell no-comment-row", data: { answered: "false" } },
      el("span", { class: "badge badge-warn no-comment", text: "No comment reported" }), " ", mark, " ", link);
  }
  return el("td", { class: "coverage-cell answered", data: { answered: "true" } },
    el("span", { class: "coverage-sentence", text: cell.sentence }), " ", mark, " ", link);
}
