/* f32-avgpool-scalar.c — average pooling of one plane, the scalar twin (see avg_pool2d.c). */
#include "microkernels.h"

float cnn_avg_pool_cell(const float *in, const cnn_geometry *g, int out_row, int out_col) {
    const cnn_avg_window w = cnn_avg_pool_window(g, out_row, out_col);
    float sum = 0.0f;
    for (int h = w.row_begin; h < w.row_end; h++)
        for (int x = w.col_begin; x < w.col_end; x++) sum += in[h * g->in_width + x];
    return sum / w.divisor;
}

void cnn_f32_avgpool__scalar(float *out, const float *in, const cnn_geometry *g) {
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow++) out[oh * g->out_width + ow] = cnn_avg_pool_cell(in, g, oh, ow);
}
