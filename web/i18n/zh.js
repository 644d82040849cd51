// 简体中文消息（键与占位符见 index.js）。术语依照种子文章：卷积核、步长、填充、空洞卷积、转置卷积、
// 最大池化、平均池化、全局平均池化、感受野。
export default {
  // ---- shared (base-element.js, controls.js, exercise.js) ----
  'shared.loading': '正在加载 CNN 核心…',
  'shared.core-failed': 'CNN 核心加载失败：{reason}',
  'shared.concealed': '先回答上面的问题，或点“显示答案”，这里才会显示',

  // ---- page (index.html, page.js) ----

  // ---- conv (cnn-conv.js, conv-model.js) ----

  // ---- pool (cnn-pool.js, pool-model.js) ----

  // ---- receptive field (cnn-receptive-field.js, receptive-field-model.js) ----

  // ---- params (cnn-params.js, params-model.js) ----

  // ---- channels (cnn-channels.js) ----
  'channels.label': '通道：RGB 三个平面到特征图',
  'channels.control.filters': '卷积核组',
  'channels.control.out-channels': 'out_channels（输出通道）',
  'channels.control.kernel': '卷积核大小',
  'channels.control.groups': 'groups（分组）',
  'channels.control.stride': '步长',
  'channels.control.padding': '填充',
  'channels.filters.mixed': '混合：边缘、颜色对立、模糊',
  'channels.filters.edges': '各颜色的边缘',
  'channels.filters.colour': '颜色对立',
  'channels.filters.blur': '各颜色的模糊',
  'channels.filters.random': '随机权重',
  'channels.groups.standard': '{groups}：标准卷积（每个输出读 R、G、B）',
  'channels.groups.grouped': '{groups}：分组卷积',
  'channels.groups.depthwise': '{groups}：深度卷积（每个输出只读一个平面）',
  'channels.photo': '照片（RGB）',
  'channels.photo-alt': '输入照片，32×32 像素：身穿橙色航天服的宇航员艾琳·柯林斯，身后是国旗',
  'channels.plane.R': 'R（红）',
  'channels.plane.G': 'G（绿）',
  'channels.plane.B': 'B（蓝）',
  'channels.plane-alt': '照片的输入平面 {plane}，用它自己的颜色画出：该颜色越多越亮',
  'channels.outputs-label': '输出平面（特征图）：选一个，看它是怎样算出来的',
  'channels.output-fed': '，来自 {planes}',
  'channels.band-standard': '{count} 个输出平面，每个都把 3 个输入平面相加，每个输入平面用自己的卷积核。',
  'channels.band-grouped': 'groups = {groups}：输入平面分成 {groups} 组，每个输出只读自己那一组。',
  'channels.band-depthwise': '深度卷积：每个输出平面只读一个输入平面。',
  'channels.legend-planes': '输入平面',
  'channels.legend-maps': '特征图',
  'channels.negative': '− 负',
  'channels.positive': '正 +',
  'channels.filter.edges-x': '竖直边缘',
  'channels.filter.edges-y': '水平边缘',
  'channels.filter.red-green': '红 − 绿',
  'channels.filter.green-red': '绿 − 红',
  'channels.filter.blue-yellow': '蓝 − 黄',
  'channels.filter.yellow-blue': '黄 − 蓝',
  'channels.filter.brightness': '亮度（模糊）',
  'channels.filter.red-edges-x': 'R 的竖直边缘',
  'channels.filter.green-edges-x': 'G 的竖直边缘',
  'channels.filter.blue-edges-x': 'B 的竖直边缘',
  'channels.filter.red-edges-y': 'R 的水平边缘',
  'channels.filter.green-edges-y': 'G 的水平边缘',
  'channels.filter.blue-edges-y': 'B 的水平边缘',
  'channels.filter.sharpen': '锐化',
  'channels.filter.red': '红',
  'channels.filter.green': '绿',
  'channels.filter.blue': '蓝',
  'channels.filter.blur-red': '模糊的红',
  'channels.filter.blur-green': '模糊的绿',
  'channels.filter.blur-blue': '模糊的蓝',
  'channels.filter.mix': '颜色混合（图案需要 3×3）',
  'channels.filter.random': '随机',
  'channels.filter-of': '{planes} 的{kernel}',
  'channels.kernel.sobel-x': '竖直边缘',
  'channels.kernel.sobel-y': '水平边缘',
  'channels.kernel.box': '模糊',
  'channels.kernel.sharpen': '锐化',
  'channels.kernel.identity': '复制',
  'channels.kernel.random': '随机',
  'channels.detail-title': '输出平面 {channel}（{name}）是怎样算出来的',
  'channels.pixel-hint': '每个输入平面经过自己的卷积核，得到的图相加，再加上偏置。点击一张图，或聚焦结果图后用方向键，选择要写出数字的像素。',
  'channels.kernel-alt': '卷积核 w[{channel}, {plane}]：{values}',
  'channels.result': '输出平面',
  'channels.result-alt': '输出平面 {channel}；像素 [{row}, {col}] = {value}。方向键移动像素。',
  'channels.note-standard': 'groups = 1：每个输出平面都看到三种颜色，所以卷积核可以比较颜色（红 − 绿）。',
  'channels.note-1x1': '1×1 卷积核只看一个像素：它只混合这个像素的各颜色（通道融合）。',
  'channels.note-grouped': 'groups = {groups}：每个输出只读自己那一组的平面。',
  'channels.note-depthwise': 'groups = 3（深度卷积）：每个输出平面只读一个颜色平面，所以没有输出能比较颜色；权重只需三分之一。',
  'channels.params': '参数量：{count}',
  'channels.shapes': '权重 {weight}，偏置 {bias}',
  'channels.invalid': '无法构建这一层：{reason}',
  'channels.params-article': '种子文章的 3 → 64，用这个卷积核：{formula}（文章只数 {weights} 个权重）',
  'channels.page-title': '通道：一张照片是三个平面，一层卷积得到许多特征图',
  'channels.page-lead': '一张彩色照片有红、绿、蓝三个平面（通道），卷积层有多少个卷积核，就得到多少张特征图。选一个输出平面，看它的卷积核怎样读取三个平面、各平面的结果怎样相加；groups = 3（深度卷积）时，每个输出只读一个平面。',
  'channels.credit': '照片：宇航员艾琳·柯林斯，NASA（公有领域），取自 scikit-image，32×32。',

  // ---- lab (cnn-train*.js, web/train messages shown in the lab) ----

  // ---- embed and builder (embed.js, builder.js) ----
};
