/* conv2d.c — 2-D convolution, forward and backward, as im2col + GEMM: the general route.
   https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html

   Shapes: in [N, C, H, W], weight [OC, C/G, KH, KW], bias [OC], out [N, OC, OH, OW].
   For each batch n and group g (C/G input and OC/G output channels):
     col      = im2col(in[n, g])                      [C/G·KH·KW, OH·OW]
     out[n,g] = weight[g] · col + bias                [OC/G, OH·OW]
   Faster routes take over where they apply: direct kernels for depthwise (groups =
   C = OC), forward and backward (depthwise_conv2d.c); Winograd F(2×2, 3×3) for 3×3 stride-1
   layers with enough channels (winograd.c) and F(4, 5) or F(2, 7) along rows for 5- or 7-wide ones
   (winograd_rows.c), both also for grad_weight; an implicit GEMM that reads the padded image
   in place of col (conv_implicit.c), also for grad_weight; and grad_in as a forward
   convolution (conv2d_grad_input.c). Which route runs is decided once per shape, by a plan
   (conv2d_plan.c), which also holds every route's scratch.
   Backward (accumulating):
     grad_in[n, g] += col2im(weight[g]ᵀ · grad_out[n, g])
     grad_weight[g] += grad_out[n, g] · colᵀ
     grad_bias      += Σ_{n,oh,ow} grad_out */
#include "../internal.h"

/* A 1×1, stride-1, unpadded window view is the identity: col is the image itself. */
static int is_pointwise(const cnn_window_view *v) {
    return v->kernel_h == 1 && v->kernel_w == 1 && v->stride_h == 1 && v->stride_w == 1 && v->pad_top == 0 &&
           v->pad_left == 0 && v->image_h == v->cols_h && v->image_w == v->cols_w;
}

/* Forward's scratch: col (none when pointwise) and the GEMM's packing. */
static void take_forward_buffers(float **col, float **packing, cnn_scratch *s, const cnn_geometry *g,
                                 const cnn_window_view *v) {
    const int rows = v->channels * g->kernel_h * g->kernel_w, cols = g->out_height * g->out_width;
    *col = cnn_scratch_take(s, is_pointwise(v) ? 0 : (long long)rows * cols);
    *packing = cnn_scratch_take(s, cnn_gemm_packing_floats(g->out_channels / g->groups, cols, rows));
}

long long cnn_conv2d_im2col_scratch_floats(const cnn_geometry *g) {
    const cnn_window_view v = cnn_conv_window_view(g, 0);
    float *col, *packing;
    cnn_scratch s = {NULL, 0};
    take_forward_buffers(&col, &packing, &s, g, &v);
    return s.used;
}

void cnn_conv2d_im2col(float *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g,
                       float *scratch) {
    const cnn_window_view v = cnn_conv_window_view(g, 0);
    const int group_out = g->out_channels / g->groups;
    const int rows = v.channels * g->kernel_h * g->kernel_w, cols = g->out_height * g->out_width;
    const long in_plane = (long)g->in_height * g->in_width;
    float *col, *packing;
    cnn_scratch s = {scratch, 0};
    take_forward_buffers(&col, &packing, &s, g, &v);
    for (int n = 0; n < g->batch; n++) {
        float *out_n = out + (long)n * g->out_channels * cols;
        cnn_fill_bias(out_n, bias, g->out_channels, cols);
        for (int group = 0; group < g->groups; group++) {
            const float *image = in + ((long)n * g->in_channels + (long)group * v.channels) * in_plane;
            if (!is_pointwise(&v)) cnn_im2col(col, image, &v);
            cnn_gemm_packed(out_n + (long)group * group_out * cols, cols, weight + (long)group * group_out * rows, rows,
                            1, is_pointwise(&v) ? image : col, cols, 1, group_out, cols, rows, 1, packing);
        }
    }
}

/* Backward's scratch: col [C/G·KH·KW, OH·OW] and packing for the larger of its two GEMMs. */
static void take_backward_buffers(float **col, float **packing, cnn_scratch *s, const cnn_geometry *g) {
    const int group_out = g->out_channels / g->groups;
    const long long rows = (long long)(g->in_channels / g->groups) * g->kernel_h * g->kernel_w;
    const int cols = g->out_height * g->out_width;
    const long long grad_weight_packing = cnn_gemm_packing_floats(group_out, (int)rows, cols);
    const long long grad_input_packing = cnn_gemm_packing_floats((int)rows, cols, group_out);
    *col = cnn_scratch_take(s, rows * cols);
    *packing = cnn_scratch_take(s, grad_weight_packing > grad_input_packing ? grad_weight_packing : grad_input_packing);
}

long long cnn_conv2d_im2col_backward_scratch_floats(const cnn_geometry *g) {
    float *col, *packing;
    cnn_scratch s = {NULL, 0};
    take_backward_buffers(&col, &packing, &s, g);
    return s.used;
}

void cnn_conv2d_im2col_backward(float *grad_in, float *grad_weight, const float *grad_out, const float *in,
                                const float *weight, const cnn_geometry *g, float *scratch) {
    const cnn_window_view v = cnn_conv_window_view(g, 0);
    const int group_out = g->out_channels / g->groups, pointwise = is_pointwise(&v);
    const int rows = v.channels * g->kernel_h * g->kernel_w, cols = g->out_height * g->out_width;
    const long in_plane = (long)g->in_height * g->in_width;
    float *col, *packing;
    cnn_scratch s = {scratch, 0};
    take_backward_buffers(&col, &packing, &s, g);
    for (int n = 0; n < g->batch; n++)
        for (int group = 0; group < g->groups; group++) {
            const long in_offset = ((long)n * g->in_channels + (long)group * v.channels) * in_plane;
            const float *grad_out_ng = grad_out + ((long)n * g->out_channels + (long)group * group_out) * cols;
            const float *weight_g = weight + (long)group * group_out * rows;
            if (grad_weight) {
                if (!pointwise) cnn_im2col(col, in + in_offset, &v);
                cnn_gemm_packed(grad_weight + (long)group * group_out * rows, rows, grad_out_ng, cols, 1,
                                pointwise ? in + in_offset : col, 1, cols, group_out, rows, cols, 1, packing);
            }
            if (grad_in) {
                cnn_gemm_packed(col, cols, weight_g, 1, rows, grad_out_ng, cols, 1, rows, cols, group_out, 0, packing);
                cnn_col2im(grad_in + in_offset, col, &v);
            }
        }
}
