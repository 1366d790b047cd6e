// Talking to the Precedent API: JSON in, readable errors out.

import { state } from "./state.js";

export class ApiError extends Error {
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

export async function api(path, params = {}) {
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

/** GET /documents/{id}, once per page (a failure is retried next time). */
export function getDocument(id) {
  if (!state.docCache.has(id)) {
    const p = api(`documents/${encodeURIComponent(id)}`);
    p.catch(() => state.docCache.delete(id));
    state.docCache.set(id, p);
  }
  return state.docCache.get(id);
}

const passageCache = new Map();

/** GET /passages/{id}: the passage with its `previous` and `next` neighbours' ids. */
export function getPassage(id) {
  if (!passageCache.has(id)) {
    const p = api(`passages/${encodeURIComponent(id)}`);
    p.catch(() => passageCache.delete(id));
    passageCache.set(id, p);
  }
  return passageCache.get(id);
}

/** GET /passages/{id}/similar: passages elsewhere closest in meaning. */
export const getSimilar = (id, k = 5) => api(`passages/${encodeURIComponent(id)}/similar`, { k });
