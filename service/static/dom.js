// DOM helpers. SECURITY: text only ever goes in as text (textContent / createTextNode); nothing in
// these modules uses innerHTML, so a document containing "<script>" shows as text and never runs.

export const $ = (id) => document.getElementById(id);

/** Build an element. props: {class, text, attrs, data, on}; children: nodes or strings (as text). */
export function el(tag, props = {}, ...children) {
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

export function append(node, ...children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export const clear = (node) => node.replaceChildren();
