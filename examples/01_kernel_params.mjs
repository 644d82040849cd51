// Seed §1.1: parameter counts of kernel sizes, and one 5×5 against two 3×3.
//   node examples/01_kernel_params.mjs
import { load } from '../web/cnn.js';

const { nn } = await load();

// count_conv_params: weights only, no bias (the article's helper).
const countConvParams = (module) =>
  module
    .parameters()
    .filter((p) => p.name === 'weight')
    .reduce((total, p) => total + p.value.size, 0);
const format = (n) => n.toLocaleString('en-US');

console.log('3 → 64 channels, weights only:');
for (const k of [1, 3, 5, 7]) {
  const conv = new nn.Conv2d(3, 64, k, { bias: false });
  console.log(`  ${k}×${k}: ${format(countConvParams(conv))}`);
}

// 输入、输出通道均为 64 的场景
const single5x5 = new nn.Conv2d(64, 64, 5, { bias: false }); // 5×5 卷积
const two3x3 = new nn.Sequential(
  new nn.Conv2d(64, 64, 3, { bias: false }), // 第一个 3×3
  new nn.Conv2d(64, 64, 3, { bias: false }), // 第二个 3×3
);

console.log(`单个5×5卷积参数: ${format(countConvParams(single5x5))}`); // 25×64×64 = 102,400
console.log(`两个3×3卷积参数: ${format(countConvParams(two3x3))}`); // 2×9×64×64 = 73,728
console.log(`参数量减少: ${(100 - (countConvParams(two3x3) / countConvParams(single5x5)) * 100).toFixed(0)}%`);
