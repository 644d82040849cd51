// Seed §2.2: dilated and transposed convolution shapes.
//   node examples/03_dilated_transposed.mjs
import { load } from '../web/cnn.js';

const cnn = await load();
const { nn } = cnn;

const x = cnn.randn([1, 3, 32, 32], 1); // 1张3通道 32×32 的图像

// 空洞卷积(dilation=2,3×3 核的感受野扩大到 7×7)
const dilatedConv = new nn.Conv2d(3, 64, 3, { padding: 2, dilation: 2, bias: false });
// 转置卷积(上采样2倍,输出尺寸 = 32×2 = 64)
const transposeConv = new nn.ConvTranspose2d(64, 3, 3, { stride: 2, padding: 1, output_padding: 1, bias: false });

const shape = (t) => `(${t.shape.join(', ')})`;
console.log(`空洞卷积输出形状: ${shape(dilatedConv.forward(x))}`); // (1, 64, 32, 32)
console.log(`转置卷积输出形状: ${shape(transposeConv.forward(dilatedConv.forward(x)))}`); // (1, 3, 64, 64)
