// The iframe route (web/embed.html) for course platforms that strip scripts:
//   <iframe src="…/embed.html?widget=conv&kernel=3&stride=2&lock=stride" width="100%" height="720"></iframe>
// ?widget= picks the element (conv, pool, receptive-field, params, train); every other parameter
// is one of its attributes, the shared ones included (hide, lock, exercise, …; mount.js). The
// widget keeps the URL in step as the learner works (url-state with no prefix).
//
// Size messages: whenever the height the widget needs changes (growing or shrinking), the frame
// posts  { type: 'cnn-embed-size', widget: '<name>', height: <CSS pixels> }  to its parent, so
// a parent page with a script can fit the frame (README, "The iframe route", has the listener).
import { unknownWidgetMessage, widgetTag } from '../widgets/index.js';
import { mountWidget, note, pageLanguage } from './mount.js';

const slot = document.getElementById('widget-slot');
const params = new URLSearchParams(location.search);
const name = params.get('widget') ?? 'conv';
const tag = widgetTag(name);
const t = pageLanguage(params); // ?lang=zh: the frame's <html lang>, and the widget's lang attribute

/** Posts the frame height the widget (and any note above it) needs, each time it changes. */
function reportSize(widget) {
  let last = null;
  const observer = new ResizeObserver(() => {
    const height = Math.ceil(slot.getBoundingClientRect().bottom + window.scrollY);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'cnn-embed-size', widget: name, height }, '*');
  });
  observer.observe(widget);
  observer.observe(slot);
}

if (!tag) {
  slot.replaceChildren(note('error', unknownWidgetMessage(name, t)));
} else {
  const widget = mountWidget(slot, tag, params, { skip: ['widget'], fixed: { 'url-state': '', loading: 'eager' }, t });
  if (window.parent !== window) reportSize(widget);
}
