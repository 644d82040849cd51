// Seed §3.2: max, average and global average pooling of a 4×4 map.
//   node examples/04_pooling.mjs
import { load } from '../web/cnn.js';

const cnn = await load();
const { nn } = cnn;

// 构造一个 4×4 的虚拟特征图 (batch=1, channel=1, 4×4)
const virtualFeature = new cnn.Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 1, 4, 4]);

const maxPool = new nn.MaxPool2d(2, { stride: 2 }); // 2×2窗口,步长2
const avgPool = new nn.AvgPool2d(2, { stride: 2 });
const gap = new nn.AdaptiveAvgPool2d([1, 1]); // 输出固定为1×1

console.log(`最大池化输出:\n${maxPool.forward(virtualFeature).index(0, 0)}`); // [[6, 8], [14, 16]]
console.log(`平均池化输出:\n${avgPool.forward(virtualFeature).index(0, 0)}`); // [[3.5, 5.5], [11.5, 13.5]]
console.log(`全局平均池化输出: ${gap.forward(virtualFeature).item().toFixed(1)}`); // 8.5
