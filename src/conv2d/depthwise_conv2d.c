/* depthwise_conv2d.c — 2-D convolution with groups = in_channels = out_channels
   (each channel its own kernel), forward and backward; conv2d.c routes here.
   https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html

   Shapes: in [N, C, H, W], weight [C, 1, KH, KW], bias [C], out [N, C, OH, OW];
   in(h, w) = in[n][c][h][w] inside the input, 0 outside (the padding):
     out[n][c][oh][ow] = bias[c] + Σ_kh Σ_kw weight[c][kh][kw] · in(oh·stride_h − pad_top + kh·dilation_h,
                                                                    ow·stride_w − pad_left + kw·dilation_w)
   Backward (accumulating):
     grad_weight[c][kh][kw] += Σ_n Σ_oh Σ_ow grad_out[n][c][oh][ow] · in(same rows and columns)
     grad_in[n][c][h][w]    += Σ_kh Σ_kw weight[c][kh][kw] · grad_out[n][c][oh][ow]
                               over the taps with oh·stride_h = h + pad_top − kh·dilation_h, ow alike
     grad_bias[c]           += Σ_n Σ_oh Σ_ow grad_out[n][c][oh][ow]
   grad_in is itself a depthwise convolution, stride 1, of grad_out with zeros
   inserted between its cells (stride − 1 of them, as conv_transpose2d sees it)
   and the kernel flipped, grad_out[oh][ow] sitting at
   (oh·stride_h + (KH − 1)·dilation_h − pad_top, …) of the padded plane:
     grad_in[h][w] += Σ_a Σ_b weight[KH−1−a][KW−1−b] · padded[h + a·dilation_h][w + b·dilation_w]
   so it runs through the forward kernels.

   Each plane is copied into a zero-padded buffer, so the kernels
   (kernels/dwconv.h) read every tap without a bounds check. When that buffer
   would be larger than the input and the multiplications together (strides,
   dilations or padding near 2^31), per-cell loops with bounds checks do the
   same sums instead. */
#include "../internal.h"
#include "../kernels/microkernels.h"

/* The 3×3 stride-1 and undilated stride-2 kernels where they apply, the general one elsewhere. */
static cnn_dwconv_plane_kernel *forward_kernel(const cnn_geometry *g) {
    const int is_3x3 = g->kernel_h == 3 && g->kernel_w == 3;
    if (is_3x3 && g->stride_h == 1 && g->stride_w == 1) return cnn_dwconv_3x3s1_microkernel;
    if (is_3x3 && g->stride_h == 2 && g->stride_w == 2 && g->dilation_h == 1 && g->dilation_w == 1)
        return cnn_dwconv_3x3s2_microkernel;
    return cnn_dwconv_microkernel;
}

/* The 3×3 kernel where it applies, the general one elsewhere. */
static cnn_dwconv_grad_weight_plane_kernel *grad_weight_kernel(const cnn_geometry *g) {
    return g->kernel_h == 3 && g->kernel_w == 3 ? cnn_dwconv_grad_weight_3x3_microkernel
                                                : cnn_dwconv_grad_weight_microkernel;
}

/* The zero-padded buffer the kernels read for g's output, window and stride:
   every row of every window, and whole groups of CNN_DWCONV_TILE_COLS columns:
     height = (OH − 1)·stride_h + (KH − 1)·dilation_h + 1
     width  = (round_up(OW, tile) − 1)·stride_w + (KW − 1)·dilation_w + 1 */
static void padded_size(const cnn_geometry *g, long long *height, long long *width) {
    const long long tile = CNN_DWCONV_TILE_COLS;
    const long long tiled_w = (g->out_width + tile - 1) / tile * tile;
    *height = (long long)(g->out_height - 1) * g->stride_h + (long long)(g->kernel_h - 1) * g->dilation_h + 1;
    *width = (tiled_w - 1) * g->stride_w + (long long)(g->kernel_w - 1) * g->dilation_w + 1;
}

/* The copy pays when the buffer is no larger than the plane it holds plus the
   multiplications it saves checking (doubles: the product can pass 2^63), and fits the
   scratch cap. height and width each reach 2^34: their product saturates, never wraps. */
static int padding_pays(long long height, long long width, long long plane, const cnn_geometry *g) {
    const double multiplications = (double)g->out_height * g->out_width * g->kernel_h * g->kernel_w;
    const long long padded = cnn_size_mul(height, width);
    return padded <= CNN_MAX_SCRATCH && (double)padded <= (double)plane + multiplications;
}

/* A plane's place in a zero buffer [height, width]:
     plane[i][j] → buffer[top + i·step_h][left + j·step_w]   where that lies inside the buffer.
   The input sits at (pad_top, pad_left), step 1; grad_out, for grad_input, at
   ((KH − 1)·dilation_h − pad_top, …), step = stride, zeros between. */
typedef struct {
    long long height, width, top, left;
    int step_h, step_w;
} placement;

/* The indices i in [begin, end) of count items at offset + i·step inside [0, limit). */
static void inside_range(long long offset, int step, long long limit, int count, long long *begin, long long *end) {
    *begin = offset >= 0 ? 0 : (-offset + step - 1) / step;
    const long long last = offset >= limit ? -1 : (limit - 1 - offset) / step;
    *end = last + 1 < count ? last + 1 : count;
}

/* Writes the plane's cells into the buffer; the rest of it (the padding, and
   the gaps of a step past 1) is left as it is: zero. */
static void copy_into_padded(float *padded, const placement *at, const float *plane, int plane_h, int plane_w) {
    long long row_begin, row_end, col_begin, col_end;
    inside_range(at->top, at->step_h, at->height, plane_h, &row_begin, &row_end);
    inside_range(at->left, at->step_w, at->width, plane_w, &col_begin, &col_end);
    for (long long i = row_begin; i < row_end; i++) {
        const float *src = plane + i * plane_w;
        float *dst = padded + (at->top + i * at->step_h) * at->width;
        if (at->step_w == 1) /* every forward plane: a plain copy, which the compiler vectorizes */
            for (long long j = col_begin; j < col_end; j++) dst[at->left + j] = src[j];
        else
            for (long long j = col_begin; j < col_end; j++) dst[at->left + j * at->step_w] = src[j];
    }
}

static float *zeroed(float *buffer, long long count) {
    for (long long i = 0; i < count; i++) buffer[i] = 0.0f;
    return buffer;
}

/* in(h, w) of one plane, 0 outside; 64-bit coordinates. */
static float value_at(const float *plane, const cnn_geometry *g, long long h, long long w) {
    return h >= 0 && h < g->in_height && w >= 0 && w < g->in_width ? plane[h * g->in_width + w] : 0.0f;
}

/* One output cell in the kernels' order (bias, then taps in order), bounds checked. */
static float forward_cell(const float *plane, const float *weight, float bias, const cnn_geometry *g, int oh, int ow) {
    const long long row0 = (long long)oh * g->stride_h - g->pad_top, col0 = (long long)ow * g->stride_w - g->pad_left;
    float sum = bias;
    for (int kh = 0; kh < g->kernel_h; kh++)
        for (int kw = 0; kw < g->kernel_w; kw++)
            sum += weight[kh * g->kernel_w + kw] *
                   value_at(plane, g, row0 + (long long)kh * g->dilation_h, col0 + (long long)kw * g->dilation_w);
    return sum;
}

/* Where the input plane goes for g's forward and weight-gradient kernels: at
   the padding, step 1, in a buffer of padded_size(g); 0 when the copy does not pay. */
static int input_placement(const cnn_geometry *g, placement *at) {
    padded_size(g, &at->height, &at->width);
    at->top = g->pad_top, at->left = g->pad_left, at->step_h = at->step_w = 1;
    return padding_pays(at->height, at->width, (long long)g->in_height * g->in_width, g);
}

void cnn_depthwise_conv2d_forward(float *out, const float *in, const float *weight, const float *bias,
                                  const cnn_geometry *g, float *scratch) {
    const long in_plane = (long)g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    const long taps = (long)g->kernel_h * g->kernel_w, planes = (long)g->batch * g->in_channels;
    placement at;
    if (!input_placement(g, &at)) {
        for (long p = 0; p < planes; p++) {
            const int c = (int)(p % g->in_channels);
            for (int oh = 0; oh < g->out_height; oh++)
                for (int ow = 0; ow < g->out_width; ow++)
                    out[p * out_plane + (long)oh * g->out_width + ow] =
                        forward_cell(in + p * in_plane, weight + c * taps, bias ? bias[c] : 0.0f, g, oh, ow);
        }
        return;
    }
    float *padded = zeroed(scratch, at.height * at.width);
    cnn_dwconv_plane_kernel *const kernel = forward_kernel(g);
    for (long p = 0; p < planes; p++) {
        const int c = (int)(p % g->in_channels);
        copy_into_padded(padded, &at, in + p * in_plane, g->in_height, g->in_width);
        kernel(out + p * out_plane, padded, weight + c * taps, bias ? bias[c] : 0.0f, g, (int)at.width);
    }
}

static void accumulate_grad_weight(float *grad_weight, const float *grad_out, const float *in, const cnn_geometry *g,
                                   float *scratch) {
    const long in_plane = (long)g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    const long taps = (long)g->kernel_h * g->kernel_w, planes = (long)g->batch * g->in_channels;
    placement at;
    if (!input_placement(g, &at)) {
        for (long p = 0; p < planes; p++) {
            const float *plane = in + p * in_plane, *grad_plane = grad_out + p * out_plane;
            for (int kh = 0; kh < g->kernel_h; kh++)
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    float sum = 0.0f;
                    for (int oh = 0; oh < g->out_height; oh++)
                        for (int ow = 0; ow < g->out_width; ow++)
                            sum += grad_plane[(long)oh * g->out_width + ow] *
                                   value_at(plane, g,
                                            (long long)oh * g->stride_h - g->pad_top + (long long)kh * g->dilation_h,
                                            (long long)ow * g->stride_w - g->pad_left + (long long)kw * g->dilation_w);
                    grad_weight[p % g->in_channels * taps + kh * g->kernel_w + kw] += sum;
                }
        }
        return;
    }
    float *padded = zeroed(scratch, at.height * at.width);
    for (long p = 0; p < planes; p++) {
        copy_into_padded(padded, &at, in + p * in_plane, g->in_height, g->in_width);
        grad_weight_kernel(g)(grad_weight + p % g->in_channels * taps, grad_out + p * out_plane, padded, g,
                              (int)at.width);
    }
}

/* grad_out(row, col) of the zero-inserted plane: grad_out[row / stride_h][col / stride_w]
   on the stride grid inside grad_out, 0 elsewhere; 64-bit coordinates. */
static float zero_inserted_at(const float *grad_plane, const cnn_geometry *g, long long row, long long col) {
    if (row < 0 || col < 0 || row % g->stride_h || col % g->stride_w) return 0.0f;
    const long long oh = row / g->stride_h, ow = col / g->stride_w;
    return oh < g->out_height && ow < g->out_width ? grad_plane[oh * g->out_width + ow] : 0.0f;
}

/* grad_in of one cell, gathered in the flipped kernel's order (the taps in reverse). */
static float grad_input_cell(const float *grad_plane, const float *weight, const cnn_geometry *g, int h, int w) {
    float sum = 0.0f;
    for (int kh = g->kernel_h - 1; kh >= 0; kh--)
        for (int kw = g->kernel_w - 1; kw >= 0; kw--)
            sum += weight[kh * g->kernel_w + kw] *
                   zero_inserted_at(grad_plane, g, (long long)h + g->pad_top - (long long)kh * g->dilation_h,
                                    (long long)w + g->pad_left - (long long)kw * g->dilation_w);
    return sum;
}

/* The flipped convolution of grad_input: stride 1, same kernel size and dilation, grad_in
   [H, W] out; grad_out placed as the top comment says. */
static void grad_input_view(const cnn_geometry *g, cnn_geometry *flipped, placement *at) {
    *flipped = *g;
    flipped->out_height = g->in_height, flipped->out_width = g->in_width, flipped->stride_h = flipped->stride_w = 1;
    *at = (placement){.top = (long long)(g->kernel_h - 1) * g->dilation_h - g->pad_top,
                      .left = (long long)(g->kernel_w - 1) * g->dilation_w - g->pad_left,
                      .step_h = g->stride_h,
                      .step_w = g->stride_w};
    padded_size(flipped, &at->height, &at->width);
}

/* grad_input's scratch when its buffer pays (against the grad_out cells it holds, not the
   zero-inserted extent they spread over: stride 2^22 spreads 2 cells over 2^22 columns, plus
   the checks it saves): the padded plane, one result plane, the flipped kernels. 0 if not. */
static int take_grad_input_buffers(float **padded, float **result, float **flipped_weight, cnn_scratch *s,
                                   const cnn_geometry *g) {
    cnn_geometry flipped;
    placement at;
    grad_input_view(g, &flipped, &at);
    if (!padding_pays(at.height, at.width, (long long)g->out_height * g->out_width, &flipped)) return 0;
    *padded = cnn_scratch_take(s, at.height * at.width);
    *result = cnn_scratch_take(s, (long long)g->in_height * g->in_width);
    *flipped_weight = cnn_scratch_take(s, (long long)g->kernel_h * g->kernel_w * g->in_channels);
    return 1;
}

/* The convolution of the zero-inserted grad_out with the flipped kernel, plane
   by plane into a scratch plane that is then added to grad_in. */
static void accumulate_grad_input_flipped(float *grad_in, const float *grad_out, const float *weight,
                                          const cnn_geometry *g, float *scratch) {
    const long in_plane = (long)g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    const long taps = (long)g->kernel_h * g->kernel_w, planes = (long)g->batch * g->in_channels;
    cnn_geometry flipped;
    placement at;
    float *padded, *result, *flipped_weight;
    cnn_scratch s = {scratch, 0};
    grad_input_view(g, &flipped, &at);
    take_grad_input_buffers(&padded, &result, &flipped_weight, &s, g);
    zeroed(padded, at.height * at.width);
    for (long c = 0; c < g->in_channels; c++)
        for (long t = 0; t < taps; t++) flipped_weight[c * taps + t] = weight[c * taps + taps - 1 - t];
    cnn_dwconv_plane_kernel *const kernel = forward_kernel(&flipped);
    for (long p = 0; p < planes; p++) {
        copy_into_padded(padded, &at, grad_out + p * out_plane, g->out_height, g->out_width);
        kernel(result, padded, flipped_weight + p % g->in_channels * taps, 0.0f, &flipped, (int)at.width);
        float *grad_plane = grad_in + p * in_plane;
        for (long i = 0; i < in_plane; i++) grad_plane[i] += result[i];
    }
}

static void accumulate_grad_input(float *grad_in, const float *grad_out, const float *weight, const cnn_geometry *g,
                                  float *scratch) {
    float *padded, *result, *flipped_weight;
    cnn_scratch counting = {NULL, 0};
    if (take_grad_input_buffers(&padded, &result, &flipped_weight, &counting, g)) {
        accumulate_grad_input_flipped(grad_in, grad_out, weight, g, scratch);
        return;
    }
    const long in_plane = (long)g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    const long taps = (long)g->kernel_h * g->kernel_w;
    for (long p = 0; p < (long)g->batch * g->in_channels; p++)
        for (int h = 0; h < g->in_height; h++)
            for (int w = 0; w < g->in_width; w++)
                grad_in[p * in_plane + (long)h * g->in_width + w] +=
                    grad_input_cell(grad_out + p * out_plane, weight + p % g->in_channels * taps, g, h, w);
}

long long cnn_depthwise_conv2d_scratch_floats(const cnn_geometry *g) {
    placement at;
    float *padded, *result, *flipped_weight;
    cnn_scratch s = {NULL, 0};
    const long long input = input_placement(g, &at) ? at.height * at.width : 0;
    take_grad_input_buffers(&padded, &result, &flipped_weight, &s, g);
    return input > s.used ? input : s.used;
}

void cnn_depthwise_conv2d_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                                   const float *in, const float *weight, const cnn_geometry *g, float *scratch) {
    const long out_plane = (long)g->out_height * g->out_width;
    if (grad_bias) cnn_accumulate_bias_grad(grad_bias, grad_out, g->batch, g->out_channels, out_plane);
    if (grad_weight) accumulate_grad_weight(grad_weight, grad_out, in, g, scratch);
    if (grad_in) accumulate_grad_input(grad_in, grad_out, weight, g, scratch);
}
