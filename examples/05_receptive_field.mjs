// Seed §4.1: receptive field of the first four layers of ResNet-18, layer by layer.
//   node examples/05_receptive_field.mjs
import { load } from '../web/cnn.js';

const { arithmetic } = await load();

function calcRfDemo(layersInfo) {
  // The core applies the article's rule: rf += (k − 1) × cumulative stride; stride *= s.
  const rows = arithmetic.receptive_field(layersInfo.map(([kernel, stride]) => ({ kernel, stride })));
  console.log(
    `${'层序号'.padEnd(4)} ${'核大小'.padEnd(6)} ${'当前步长'.padEnd(8)} ${'累积步长'.padEnd(12)} ${'累积感受野'.padEnd(10)}`,
  );
  console.log('-'.repeat(60));
  rows.forEach(({ rf, jump }, i) => {
    const [k, s] = layersInfo[i];
    console.log(
      `${String(i + 1).padEnd(6)} ${String(k).padEnd(8)} ${String(s).padEnd(10)} ${String(jump).padEnd(14)} ${String(rf).padEnd(12)}`,
    );
  });
  return rows.at(-1);
}

// ResNet-18 前4层:(核大小, 步长)
// conv1(7×7, s=2) → maxpool(3×3, s=2) → conv2_x 第一个3×3 (s=1) → 第二个3×3 (s=1)
const resnet18Layers = [
  [7, 2],
  [3, 2],
  [3, 1],
  [3, 1],
];
const final = calcRfDemo(resnet18Layers);
console.log(`\n最终感受野: ${final.rf}×${final.rf},累积步长: ${final.jump}`);
