// The widgets by short name, as the iframe route (embed.html?widget=…), the embed builder and
// the standalone files name them. DOM-free. Names come from URLs, so a name is looked up as an
// own property only: "toString" or "__proto__" is an unknown widget, not Object.prototype's.
import { english } from '../i18n/index.js';

/** Short name → element tag. All but `train` are light; `train` is the lab, loaded on use. */
export const WIDGET_TAGS = Object.freeze({
  conv: 'cnn-conv',
  pool: 'cnn-pool',
  'receptive-field': 'cnn-receptive-field',
  params: 'cnn-params',
  channels: 'cnn-channels',
  train: 'cnn-train',
});

/** The tag of a widget's short name, or null when no widget has that name. */
export function widgetTag(name) {
  return typeof name === 'string' && Object.hasOwn(WIDGET_TAGS, name) ? WIDGET_TAGS[name] : null;
}

/** The sentence shown for a name that is not a widget. */
export function unknownWidgetMessage(name, t = english) {
  return t('embed.unknown-widget', { name, names: Object.keys(WIDGET_TAGS).join(', ') });
}
