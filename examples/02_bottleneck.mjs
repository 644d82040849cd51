// Seed §1.2: the ResNet bottleneck block (1×1 reduce → 3×3 → 1×1 expand, plus a shortcut).
//   node examples/02_bottleneck.mjs
import { load } from '../web/cnn.js';

const cnn = await load();
const { nn } = cnn;

class ResNetBottleneck {
  constructor(inChannels, outChannels, downsample = false) {
    const stride = downsample ? 2 : 1;
    const bottleneckChannels = Math.floor(outChannels / 4); // 标准瓶颈通道数:降维为输出的1/4

    // 1×1降维 → 3×3特征提取(可下采样)→ 1×1升维
    this.mainPath = new nn.Sequential(
      new nn.Conv2d(inChannels, bottleneckChannels, 1, { bias: false }),
      new nn.BatchNorm2d(bottleneckChannels),
      new nn.ReLU({ inplace: true }),
      new nn.Conv2d(bottleneckChannels, bottleneckChannels, 3, { stride, padding: 1, bias: false }),
      new nn.BatchNorm2d(bottleneckChannels),
      new nn.ReLU({ inplace: true }),
      new nn.Conv2d(bottleneckChannels, outChannels, 1, { bias: false }),
      new nn.BatchNorm2d(outChannels),
    );

    // 残差连接:当尺寸或通道数不匹配时,用1×1卷积调整
    this.shortcut = new nn.Sequential();
    if (downsample || inChannels !== outChannels) {
      this.shortcut = new nn.Sequential(
        new nn.Conv2d(inChannels, outChannels, 1, { stride, bias: false }),
        new nn.BatchNorm2d(outChannels),
      );
    }
    this.finalRelu = new nn.ReLU({ inplace: true });
  }

  numParameters() {
    return this.mainPath.numParameters() + this.shortcut.numParameters();
  }

  forward(x) {
    const main = this.mainPath.forward(x),
      shortcut = this.shortcut.forward(x);
    const sum = new cnn.Tensor(
      main.data.map((v, i) => v + shortcut.data[i]),
      main.shape,
    );
    return this.finalRelu.forward(sum);
  }
}

const format = (n) => n.toLocaleString('en-US');
for (const [inChannels, outChannels, downsample] of [
  [256, 256, false],
  [256, 512, true],
]) {
  const block = new ResNetBottleneck(inChannels, outChannels, downsample);
  const x = cnn.randn([1, inChannels, 56, 56], 7);
  const y = block.forward(x);
  console.log(
    `ResNetBottleneck(${inChannels}, ${outChannels}, downsample=${downsample ? 'True' : 'False'}): ` +
      `${format(block.numParameters())} parameters, output shape (${y.shape.join(', ')})`,
  );
}
const block = new ResNetBottleneck(256, 256);
console.log(block.mainPath.summary([1, 256, 56, 56]).text);
