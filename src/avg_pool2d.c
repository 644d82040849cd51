/* avg_pool2d.c — average pooling, forward and backward.
   https://pytorch.org/docs/stable/generated/torch.nn.AvgPool2d.html

   Shapes: in [N, C, H, W], out [N, C, OH, OW]. For output (oh, ow) the window is
     rows [oh·stride_h − pad_top, min(oh·stride_h − pad_top + KH, H + pad_bottom))
   (columns alike), and
     out = Σ window ∩ input / divisor,
     divisor = the window's size including padding when count_include_pad,
               else the number of input cells in it.
   (A ceil_mode window that hangs past the right padding counts only up to it.)
   Backward: each input cell of the window receives grad_out / divisor. */
#include "internal.h"
#include "kernels/microkernels.h"

/* Windows that tile the input: kernel = stride, no padding, none past the input's edge.
   Each cell then belongs to one window whose divisor is KH·KW, padding counted or not. */
static int windows_tile(const cnn_geometry *g) {
    return g->kernel_h == g->stride_h && g->kernel_w == g->stride_w && !g->pad_top && !g->pad_left && !g->pad_bottom &&
           !g->pad_right && (long long)g->out_height * g->kernel_h <= g->in_height &&
           (long long)g->out_width * g->kernel_w <= g->in_width;
}

cnn_status cnn_avg_pool2d_forward(float *out, const float *in, const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_avg_pool2d_geometry(&g);
    if (status) return status;
    const long planes = (long)g.batch * g.in_channels;
    const long in_plane = (long)g.in_height * g.in_width, out_plane = (long)g.out_height * g.out_width;
    for (long p = 0; p < planes; p++) cnn_avg_pool_microkernel(out + p * out_plane, in + p * in_plane, &g);
    return CNN_OK;
}

cnn_status cnn_avg_pool2d_backward(float *grad_in, const float *grad_out, const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_avg_pool2d_geometry(&g);
    if (status) return status;
    const long planes = (long)g.batch * g.in_channels;
    const long in_plane = (long)g.in_height * g.in_width, out_plane = (long)g.out_height * g.out_width;
    for (long p = 0; p < planes; p++) {
        float *plane = grad_in + p * in_plane;
        const float *grad_plane = grad_out + p * out_plane;
        if (windows_tile(&g)) {
            const float divisor = (float)((long long)g.kernel_h * g.kernel_w);
            for (int h = 0; h < g.out_height * g.kernel_h; h++) {
                float *row = plane + (long)h * g.in_width;
                const float *grad_row = grad_plane + (long)(h / g.kernel_h) * g.out_width;
                for (int ow = 0; ow < g.out_width; ow++)
                    for (int kw = 0; kw < g.kernel_w; kw++) row[ow * g.kernel_w + kw] += grad_row[ow] / divisor;
            }
            continue;
        }
        for (int oh = 0; oh < g.out_height; oh++) {
            const cnn_avg_span rows =
                cnn_avg_pool_span(oh, g.stride_h, g.pad_top, g.kernel_h, g.in_height, g.pad_bottom);
            for (int ow = 0; ow < g.out_width; ow++) {
                const cnn_avg_span cols =
                    cnn_avg_pool_span(ow, g.stride_w, g.pad_left, g.kernel_w, g.in_width, g.pad_right);
                const float share = grad_plane[(long)oh * g.out_width + ow] / cnn_avg_pool_divisor(&g, rows, cols);
                for (int h = rows.begin; h < rows.end; h++)
                    for (int x = cols.begin; x < cols.end; x++) plane[(long)h * g.in_width + x] += share;
            }
        }
    }
    return CNN_OK;
}
