// The core's error messages in the learner's language. The core (C, and the JS binding) writes
// English in one form, "op: argument must … (got …)"; a widget shows that text when a setting is
// impossible. Each rule a learner can reach from the widgets' controls has a pattern here; its
// named groups fill the message `core.<key>` of the catalogues, whose English text is the
// core's own (tests/i18n.test.mjs checks each English message rebuilds the core's text). The
// op prefix ("conv2d_shape: conv2d: ") stays: it is the code's name. A message no pattern
// knows keeps its English text inside a sentence in the learner's language.
import { english } from './index.js';

/** [message key, pattern of the text after the op prefix]; the groups are the key's placeholders. */
export const CORE_ERROR_PATTERNS = [
  [
    'core.kernel-too-large',
    /(?<axis>kernel_[hw]): the effective kernel dilation·\(kernel−1\)\+1 = (?<formula>[^=]+) = (?<kernel>\d+) is larger than the padded input (?<padded>[^=]+) = (?<total>\d+)$/,
  ],
  [
    'core.same-needs-stride-1',
    /padding='same' needs stride 1 \(got stride (?<stride>\([^)]*\))\): with a larger stride no padding keeps the output size equal to the input size$/,
  ],
  [
    'core.output-padding-too-large',
    /(?<name>output_padding_[hw]) = (?<value>\d+) must be smaller than stride \((?<stride>\d+)\) or dilation \((?<dilation>\d+)\)$/,
  ],
  [
    'core.output-too-small',
    /output (?<axis>[hw]) (?<formula>\(in−1\).+?) = (?<filled>\(.+?) = (?<value>-?\d+) is less than 1$/,
  ],
  ['core.padding-int-or-pair', /padding must be an int or a pair, got (?<value>.+)$/],
  [
    'core.padding-half-kernel',
    /(?<name>padding_[hw]) = (?<value>\d+) must be at most half the kernel size (?<formula>\d+ \/ 2) = (?<half>\d+)$/,
  ],
  [
    'core.groups-divide',
    /(?<name>in_channels|out_channels) = (?<value>\d+) must be divisible by groups = (?<groups>\d+)$/,
  ],
  [
    'core.window-only-padding',
    /output (?<axis>[hw]) (?<index>\d+): its window \(input (?<from>-?\d+) to (?<to>-?\d+), every (?<every>\d+)\) holds no input cell, only padding; reduce (?<dilation>dilation_[hw]) or (?<padding>padding_[hw])$/,
  ],
  ['core.at-least', /(?<name>[\w.]+) must be at least (?<min>-?\d+), got (?<value>.+)$/],
];

/**
 * A core error message in the language of `t`: English as the core wrote it; otherwise the
 * op prefix kept and the rule translated, or, for a rule no pattern knows, the English text
 * framed by a sentence in the learner's language.
 * @param {(key: string, vars?: object) => string} t a translate function (web/i18n translator or a widget's this.t)
 * @param {string} text the error's message
 */
export function coreMessage(t = english, text = '') {
  if ((t.language ?? 'en') === 'en') return text;
  for (const [key, pattern] of CORE_ERROR_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return text.slice(0, match.index) + t(key, match.groups);
  }
  return t('core.untranslated', { message: text });
}
