// Loads a custom element's module only when the page uses its tag: at once when the document
// already holds one, otherwise on the first one added to it. The training lab (worker, chart
// library, data) costs nothing on a page that shows only the light widgets.

/** Calls `load()` (which imports the module) once, when an element named `tag` is or gets in the document. */
export function defineOnUse(tag, load) {
  if (customElements.get(tag)) return;
  const run = () =>
    load().catch((error) => console.error(`<${tag}>: its module could not be loaded: ${error.message}`));
  if (document.querySelector(tag)) {
    run();
    return;
  }
  const holdsTag = (node) => node.nodeType === Node.ELEMENT_NODE && (node.localName === tag || node.querySelector(tag));
  const observer = new MutationObserver((records) => {
    if (!records.some((record) => [...record.addedNodes].some(holdsTag))) return;
    observer.disconnect();
    run();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
}
