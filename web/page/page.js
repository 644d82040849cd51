// The guided page (web/index.html): registers the widgets, says which core build runs, and
// keeps a quiet score of the predictions checked on it (localStorage: nothing leaves the browser).
import '../widgets/index.js';
import { load } from '../cnn.js';
import { readScore, recordAnswer } from '../widgets/exercise.js';

const status = document.getElementById('core-status');
load().then(
  (cnn) => { status.textContent = `Computed by the WebAssembly core (${cnn.simd ? 'SIMD128' : 'scalar'} build), in your browser.`; },
  (error) => { status.textContent = `The WebAssembly core failed to load: ${error.message}`; },
);

const scoreLine = document.getElementById('exercise-score');
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: no score, the exercises still work
  }
})();

function showScore({ answered, correct }) {
  scoreLine.hidden = answered === 0;
  scoreLine.textContent = `Predictions checked in this browser: ${answered}, right at the first try: ${correct}. Kept in this browser only.`;
}

if (storage) {
  showScore(readScore(storage));
  document.addEventListener('cnn-answer', (event) => showScore(recordAnswer(storage, `${event.target.id}:${event.detail.kind}`, event.detail.correct)));
}
