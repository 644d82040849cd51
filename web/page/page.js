// The guided page (web/index.html): registers the widgets and says which core build runs.
import '../widgets/index.js';
import { load } from '../cnn.js';

const status = document.getElementById('core-status');
load().then(
  (cnn) => { status.textContent = `Computed by the WebAssembly core (${cnn.simd ? 'SIMD128' : 'scalar'} build), in your browser.`; },
  (error) => { status.textContent = `The WebAssembly core failed to load: ${error.message}`; },
);
