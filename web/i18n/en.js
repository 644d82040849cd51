// English messages (index.js explains keys and placeholders). Sections follow the files that use them.
export default {
  // ---- shared (base-element.js, controls.js, exercise.js) ----
  'shared.loading': 'Loading the CNN core…',
  'shared.core-failed': 'The CNN core failed to load: {reason}',
  'shared.concealed': 'Hidden until you answer the question above, or reveal it',

  // ---- page (index.html, page.js) ----

  // ---- conv (cnn-conv.js, conv-model.js) ----

  // ---- pool (cnn-pool.js, pool-model.js) ----

  // ---- receptive field (cnn-receptive-field.js, receptive-field-model.js) ----

  // ---- params (cnn-params.js, params-model.js) ----

  // ---- channels (cnn-channels.js) ----

  // ---- lab (cnn-train*.js, web/train messages shown in the lab) ----

  // ---- embed and builder (embed.js, builder.js) ----
};
