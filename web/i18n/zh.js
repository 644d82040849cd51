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

  // ---- lab (cnn-train*.js, web/train messages shown in the lab) ----

  // ---- embed and builder (embed.js, builder.js) ----
};
