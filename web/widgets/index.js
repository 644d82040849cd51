// Registers every widget. A course page needs this one module:
//   <script type="module" src="…/web/widgets/index.js"></script>
//   <cnn-pool></cnn-pool> <cnn-conv kernel="3" stride="2"></cnn-conv>
// The four light widgets are defined at once; <cnn-train> (the training lab) is fetched only
// when the page holds that tag. All widgets on a page share one loaded core (load() caches it).
import './cnn-conv.js';
import './cnn-params.js';
import './cnn-pool.js';
import './cnn-receptive-field.js';
import './cnn-channels.js';
import { defineOnUse } from './define-on-use.js';

export { WIDGET_TAGS, widgetTag, unknownWidgetMessage } from './catalog.js';

defineOnUse('cnn-train', () => import('./cnn-train.js'));
