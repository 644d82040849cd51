// The iframe route (web/embed.html) for course platforms that strip scripts:
//   <iframe src="…/web/embed.html?widget=conv&kernel=3&stride=2" width="100%" height="720"></iframe>
// ?widget= picks the element; every other parameter is one of its attributes (the widget
// reads them through url-state with no prefix, and keeps the URL in step as the learner works).
// The frame tells its parent how tall it wants to be: postMessage({ type: 'cnn-embed-size',
// widget, height }), so a parent page with a script can resize it (see examples/embed.html).
import { WIDGET_TAGS } from '../widgets/index.js';

const slot = document.getElementById('widget-slot');
const params = new URLSearchParams(location.search);
const name = params.get('widget') ?? 'conv';
const tag = WIDGET_TAGS[name];

if (!tag) {
  const message = document.createElement('p');
  message.className = 'error';
  message.textContent = `Unknown widget "${name}". Use one of: ${Object.keys(WIDGET_TAGS).join(', ')}.`;
  slot.replaceChildren(message);
} else {
  const widget = document.createElement(tag);
  widget.setAttribute('url-state', '');
  widget.setAttribute('loading', 'eager');
  slot.replaceChildren(widget);
  if (window.parent !== window) {
    const report = () => window.parent.postMessage({ type: 'cnn-embed-size', widget: name, height: document.documentElement.scrollHeight }, '*');
    new ResizeObserver(report).observe(document.body);
  }
}
