// Seed §5: UniversalEfficientConv — conv with automatic 'same' padding, BN and an optional ReLU.
//   node examples/06_universal_conv.mjs
import { load } from '../web/cnn.js';

const cnn = await load();
const { nn } = cnn;

class UniversalEfficientConv extends nn.Sequential {
  /** 自动计算Same Padding,支持空洞卷积和可选激活 */
  constructor(inChannels, outChannels, { kernelSize = 3, stride = 1, dilation = 1, useAct = true } = {}) {
    // 填充数 = 扩张率×(核大小-1)//2,保持输入输出尺寸一致(stride=1时)
    const padding = Math.floor((dilation * (kernelSize - 1)) / 2);
    super(
      new nn.Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, bias: false }),
      new nn.BatchNorm2d(outChannels),
      useAct ? new nn.ReLU({ inplace: true }) : new nn.Identity(),
    );
  }
}

const x = cnn.randn([2, 64, 32, 32], 3);
for (const settings of [
  { kernelSize: 3 },
  { kernelSize: 5, dilation: 2 },
  { kernelSize: 3, stride: 2 },
  { kernelSize: 7, useAct: false },
]) {
  const block = new UniversalEfficientConv(64, 128, settings);
  const y = block.forward(x);
  console.log(
    `UniversalEfficientConv(64, 128, ${JSON.stringify(settings)}): input (${x.shape.join(', ')}) → output (${y.shape.join(', ')}), ${block.numParameters().toLocaleString('en-US')} parameters`,
  );
}
console.log(new UniversalEfficientConv(64, 128, { kernelSize: 3, dilation: 2 }).summary([2, 64, 32, 32]).text);
