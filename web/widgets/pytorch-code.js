// "Show the code": the torch.nn line for a widget's current settings, in the seed article's
// style (defaults omitted, bias=False spelled out when the count excludes the bias).

function keywords(pairs) {
  return pairs
    .filter(([, value, fallback]) => value !== fallback)
    .map(([name, value]) => `${name}=${pythonValue(value)}`);
}

function pythonValue(value) {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `(${value.join(', ')})`;
  return String(value);
}

/** nn.Conv2d(3, 64, kernel_size=3, stride=2, padding=1) */
export function conv2dCode({
  inChannels,
  outChannels,
  kernel,
  stride = 1,
  padding = 0,
  dilation = 1,
  groups = 1,
  bias = true,
}) {
  const args = [
    inChannels,
    outChannels,
    `kernel_size=${kernel}`,
    ...keywords([
      ['stride', stride, 1],
      ['padding', padding, 0],
      ['dilation', dilation, 1],
      ['groups', groups, 1],
      ['bias', bias, true],
    ]),
  ];
  return `nn.Conv2d(${args.join(', ')})`;
}

/** nn.ConvTranspose2d(64, 3, kernel_size=3, stride=2, padding=1, output_padding=1) */
export function convTranspose2dCode({
  inChannels,
  outChannels,
  kernel,
  stride = 1,
  padding = 0,
  outputPadding = 0,
  dilation = 1,
  groups = 1,
  bias = true,
}) {
  const args = [
    inChannels,
    outChannels,
    `kernel_size=${kernel}`,
    ...keywords([
      ['stride', stride, 1],
      ['padding', padding, 0],
      ['output_padding', outputPadding, 0],
      ['groups', groups, 1],
      ['bias', bias, true],
      ['dilation', dilation, 1],
    ]),
  ];
  return `nn.ConvTranspose2d(${args.join(', ')})`;
}

/** nn.MaxPool2d(2, 2), nn.AvgPool2d(3, 2, padding=1, ceil_mode=True), nn.AdaptiveAvgPool2d((1, 1)) */
export function poolCode({ mode, kernel, stride, padding = 0, ceilMode = false }) {
  if (mode === 'global') return 'nn.AdaptiveAvgPool2d((1, 1))';
  const name = mode === 'max' ? 'MaxPool2d' : 'AvgPool2d';
  const args = [
    kernel,
    stride,
    ...keywords([
      ['padding', padding, 0],
      ['ceil_mode', ceilMode, false],
    ]),
  ];
  return `nn.${name}(${args.join(', ')})`;
}
