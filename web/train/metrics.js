// Counting over predictions: the class of each row of logits, the confusion matrix and the
// misclassified digits. (Losses and probabilities are the core's: F.cross_entropy, F.softmax.)

/** The index of the largest value of each row of a [rows, classes] tensor (first on ties, as torch.argmax). */
export function argmaxRows({ shape: [rows, classes], data }) {
  const result = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (data[r * classes + k] > data[r * classes + best]) best = k;
    result[r] = best;
  }
  return result;
}

/** counts[true label · classes + predicted], rows = true labels (sklearn's convention). */
export function confusionMatrix(predictions, labels, classes = 10) {
  const counts = new Int32Array(classes * classes);
  predictions.forEach((predicted, i) => counts[labels[i] * classes + predicted]++);
  return counts;
}

/** Indices of the wrong predictions, in order. */
export function misclassified(predictions, labels) {
  const wrong = [];
  predictions.forEach((predicted, i) => predicted !== labels[i] && wrong.push(i));
  return wrong;
}
