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
  'channels.label': 'Channels: RGB planes to feature maps',
  'channels.control.filters': 'Filters',
  'channels.control.out-channels': 'out_channels',
  'channels.control.kernel': 'Kernel size',
  'channels.control.groups': 'groups',
  'channels.control.stride': 'Stride',
  'channels.control.padding': 'Padding',
  'channels.filters.mixed': 'Mixed: edges, colour opposites, blur',
  'channels.filters.edges': 'Edges per colour',
  'channels.filters.colour': 'Colour opposites',
  'channels.filters.blur': 'Blur per colour',
  'channels.filters.random': 'Random weights',
  'channels.groups.standard': '{groups}: standard (each output reads R, G, B)',
  'channels.groups.grouped': '{groups}: grouped',
  'channels.groups.depthwise': '{groups}: depthwise (each output reads one plane)',
  'channels.photo': 'Photo (RGB)',
  'channels.photo-alt': 'The input photo, 32×32 pixels: astronaut Eileen Collins in an orange suit before a flag',
  'channels.plane.R': 'R (red)',
  'channels.plane.G': 'G (green)',
  'channels.plane.B': 'B (blue)',
  'channels.plane-alt': 'Input plane {plane} of the photo, drawn in its colour: bright where the photo has much of it',
  'channels.outputs-label': 'Output planes (feature maps): pick one to see how it is made',
  'channels.output-fed': ', fed by {planes}',
  'channels.band-standard': 'Each of the {count} output planes sums all 3 input planes, each through its own kernel.',
  'channels.band-grouped': 'groups = {groups}: the planes are split into {groups} groups; each output reads only its group.',
  'channels.band-depthwise': 'Depthwise: each output plane reads one input plane only.',
  'channels.legend-planes': 'input planes',
  'channels.legend-maps': 'feature maps',
  'channels.negative': '− negative',
  'channels.positive': 'positive +',
  'channels.filter.edges-x': 'vertical edges',
  'channels.filter.edges-y': 'horizontal edges',
  'channels.filter.red-green': 'red − green',
  'channels.filter.green-red': 'green − red',
  'channels.filter.blue-yellow': 'blue − yellow',
  'channels.filter.yellow-blue': 'yellow − blue',
  'channels.filter.brightness': 'brightness (blur)',
  'channels.filter.red-edges-x': 'vertical edges in R',
  'channels.filter.green-edges-x': 'vertical edges in G',
  'channels.filter.blue-edges-x': 'vertical edges in B',
  'channels.filter.red-edges-y': 'horizontal edges in R',
  'channels.filter.green-edges-y': 'horizontal edges in G',
  'channels.filter.blue-edges-y': 'horizontal edges in B',
  'channels.filter.sharpen': 'sharpen',
  'channels.filter.red': 'red',
  'channels.filter.green': 'green',
  'channels.filter.blue': 'blue',
  'channels.filter.blur-red': 'blurred red',
  'channels.filter.blur-green': 'blurred green',
  'channels.filter.blur-blue': 'blurred blue',
  'channels.filter.mix': 'colour mix (the pattern needs 3×3)',
  'channels.filter.random': 'random',
  'channels.filter-of': '{kernel} of {planes}',
  'channels.kernel.sobel-x': 'vertical edges',
  'channels.kernel.sobel-y': 'horizontal edges',
  'channels.kernel.box': 'blur',
  'channels.kernel.sharpen': 'sharpen',
  'channels.kernel.identity': 'copy',
  'channels.kernel.random': 'random',
  'channels.detail-title': 'How output plane {channel} ({name}) is made',
  'channels.pixel-hint': 'Each input plane goes through its own kernel; the maps add up, plus the bias. Click a map, or focus the result and use the arrow keys, to pick the pixel whose numbers are written.',
  'channels.kernel-alt': 'Kernel w[{channel}, {plane}]: {values}',
  'channels.result': 'output plane',
  'channels.result-alt': 'Output plane {channel}; pixel [{row}, {col}] = {value}. Arrow keys move the pixel.',
  'channels.note-standard': 'groups = 1: every output plane sees all three colours, so a filter can compare them (red − green).',
  'channels.note-1x1': 'A 1×1 kernel looks at one pixel: it only mixes the colours of that pixel (channel fusion).',
  'channels.note-grouped': 'groups = {groups}: each output reads only the planes of its group.',
  'channels.note-depthwise': 'groups = 3 (depthwise): each output plane reads one colour plane, so no output can compare colours; it needs 3 times fewer weights.',
  'channels.params': 'Parameters: {count}',
  'channels.shapes': 'weight {weight}, bias {bias}',
  'channels.invalid': 'This layer cannot be built: {reason}',
  'channels.params-article': 'The seed article’s 3 → 64 with this kernel: {formula} (the article counts the {weights} weights only)',
  'channels.page-title': 'Channels: a photo is three planes, a layer makes many',
  'channels.page-lead': 'A colour photo is three planes, red, green and blue, and a convolution layer turns them into as many feature maps as it has kernels. Pick an output plane to see how its kernels read the three planes and how their maps add up; with groups = 3 (depthwise) each output reads only one plane.',
  'channels.credit': 'Photo: astronaut Eileen Collins, NASA (public domain), via scikit-image, 32×32.',

  // ---- lab (cnn-train*.js, web/train messages shown in the lab) ----

  // ---- embed and builder (embed.js, builder.js) ----
};
