// The script of a standalone file (dist/standalone/cnn-<widget>.html, written by
// scripts/build-dist.mjs with this module, the widget and the core inlined): shows the widget
// with the attributes of the file's query string, e.g. cnn-conv.html?kernel=3&lock=kernel.
// It does not write the URL back (a file:// page or a notebook cell may not).
import { mountWidget, pageLanguage } from './mount.js';

/** Mounts `tag` into #widget-slot. */
export function showStandalone(tag) {
  const params = new URLSearchParams(location.search);
  mountWidget(document.getElementById('widget-slot'), tag, params, {
    fixed: { loading: 'eager' },
    t: pageLanguage(params),
  });
}
