// Building the page's elements. Every string that reaches the page goes in
// as text (a Text node or textContent), never as markup: an item titled
// "<script>alert(1)</script>" shows exactly those characters. Nothing here
// (or anywhere in the tool) assigns innerHTML or sets a style attribute;
// looks come from classes of css/app.css (the server's Content Security
// Policy refuses inline styles and scripts).

// h('td', {className: 'amount', dataset: {testid: 'amount'}}, 'text', node, ...):
// an element with properties, attributes and children. Property keys:
// className, dataset (object), hidden, disabled, type, value, href, id,
// title, tabIndex, htmlFor, on (object of event listeners); any other key
// becomes an attribute (aria-*, role, data-testid, ...). Children that are
// strings or numbers become Text nodes; null, undefined and false are
// skipped; arrays are flattened.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'on') {
      for (const [event, listener] of Object.entries(value)) element.addEventListener(event, listener);
    } else if (['hidden', 'disabled', 'type', 'value', 'href', 'id', 'title', 'tabIndex',
      'htmlFor', 'name', 'placeholder', 'maxLength', 'rows'].includes(key)) {
      element[key] = value;
    } else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

// Appends children (strings as Text nodes) to `parent`.
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

// Replaces every child of `parent` with `children`.
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

// The element with this id (it must exist: index.html holds it).
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no element #${id}`);
  return element;
}

// Sets an element's text (the one way text from data reaches the page).
export function setText(element, text) {
  element.textContent = text === undefined || text === null ? '' : String(text);
  return element;
}
