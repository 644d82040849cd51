// Registers every widget. A course page needs this one module:
//   <script type="module" src="…/web/widgets/index.js"></script>
//   <cnn-pool></cnn-pool> <cnn-conv kernel="3" stride="2"></cnn-conv>
// All widgets on a page share one loaded core (load() caches it).
import './cnn-conv.js';
import './cnn-params.js';
import './cnn-pool.js';
import './cnn-receptive-field.js';
import './cnn-train.js';

/** Short names used by the iframe route (embed.html?widget=…) → element tags. */
export const WIDGET_TAGS = {
  conv: 'cnn-conv',
  params: 'cnn-params',
  pool: 'cnn-pool',
  'receptive-field': 'cnn-receptive-field',
  train: 'cnn-train',
};
