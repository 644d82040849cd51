/* internal.h — helpers shared by the op files; not part of the public API. */
#ifndef CNN_INTERNAL_H
#define CNN_INTERNAL_H

#include <stddef.h>
#include "cnn.h"

/* Largest element count of one tensor: every index fits an int32. */
#define CNN_MAX_ELEMENTS 0x7fffffffLL

/* The one limit every size in the core is checked against, in 64-bit, where a route is
   chosen: a size a·b·… is computed with cnn_size_mul, which saturates at CNN_SIZE_OVER
   (one past the limit) instead of wrapping, so a chain of products (4 int32 factors reach
   2^124) can only come out too large, never negative or small. A route takes a geometry
   only when each of its sizes is at most CNN_MAX_ELEMENTS; inside it every index then
   fits an int32 (and wasm's 32-bit long). */
#define CNN_SIZE_OVER (CNN_MAX_ELEMENTS + 1)
static inline long long cnn_size_mul(long long a, long long b) {
    if (a < 0 || b < 0 || a > CNN_MAX_ELEMENTS || b > CNN_MAX_ELEMENTS) return CNN_SIZE_OVER;
    return a * b > CNN_MAX_ELEMENTS ? CNN_SIZE_OVER : a * b; /* a, b < 2^31: no wrap */
}

/* Largest scratch block one call may allocate: 2^28 floats (1 GiB), half of what wasm32 can
   address. A route whose scratch would pass it is not taken; the last route refuses with
   CNN_OUT_OF_MEMORY naming the op and the size, before allocating anything. */
#define CNN_MAX_SCRATCH (1LL << 28)

/* The size of cnn_last_error()'s buffer (layout.c reports it to the binding's test). */
size_t cnn_last_error_bytes(void);

/* Records "op: message" as the last error and returns status. */
cnn_status cnn_fail(cnn_status status, const char *op, const char *format, ...) __attribute__((format(printf, 3, 4)));

/* malloc of count floats (or ints); NULL with CNN_OUT_OF_MEMORY recorded on failure or
   when count passes CNN_MAX_SCRATCH. */
float *cnn_alloc_floats(const char *op, long long count);

/* Checks that a count is a positive size, and that the element count a·b·c·d
   of a tensor stays within CNN_MAX_ELEMENTS (factors already positive; pass 1
   for unused ones); "name" is the argument the caller reports. */
cnn_status cnn_check_positive(const char *op, const char *name, long long value);
cnn_status cnn_check_elements(const char *op, const char *name, long long a, long long b, long long c, long long d);

/* Scratch handed out from one block (a convolution plan's): a route takes its buffers in
   order with cnn_scratch_take; over a NULL base it only counts them, which is how the route's
   _scratch_floats() sizes the block, so the size and the use come from the same lines. Each
   buffer starts a multiple of 16 floats (64 bytes) after the last. */
typedef struct {
    float *base; /* NULL: counting */
    long long used;
} cnn_scratch;
static inline float *cnn_scratch_take(cnn_scratch *s, long long count) {
    float *buffer = s->base ? s->base + s->used : NULL;
    s->used += (count + 15) / 16 * 16;
    return buffer;
}

/* C[m×n] (+)= A[m×k] · B[k×n], with A(i,p) = a[i·a_row + p·a_col] and
   B(p,j) = b[p·b_row + j·b_col], so transposes are only strides; C row-major
   with leading dimension ldc. accumulate = 0 overwrites C. op names the
   caller in an out-of-memory error (the packing buffers). */
cnn_status cnn_gemm(const char *op, float *c, int ldc, const float *a, int a_row, int a_col, const float *b, int b_row,
                    int b_col, int m, int n, int k, int accumulate);
/* The same on packing buffers of the caller's: cnn_gemm_packing_floats(m, n, k) floats. */
void cnn_gemm_packed(float *c, int ldc, const float *a, int a_row, int a_col, const float *b, int b_row, int b_col,
                     int m, int n, int k, int accumulate, float *packing);
long long cnn_gemm_packing_floats(int m, int n, int k);

/* Floats between the positions ξ of a Winograd-transformed array of `floats` per position.
   The transforms stream every position at once; a whole number of 4 KiB pages apart
   they would fall into the same L1 sets and evict each other, so each position is padded
   by 16 floats (measured: F(2×2, 3×3)'s grad_out transform 9× faster). The padding also
   lets an 8-column GEMM tile read up to 15 floats past a position's end. */
static inline long cnn_position_stride(long floats) { return floats + 16; }

/* The window arithmetic of one convolution seen from its large image side:
   the image [channels, image_h, image_w] is read (im2col) or written (col2im)
   through windows of kernel_h × kernel_w taps, giving a column matrix
   [channels·kernel_h·kernel_w, cols_h·cols_w]. conv2d forward reads its input
   this way; conv_transpose2d forward writes its output this way. */
typedef struct {
    int channels, image_h, image_w, cols_h, cols_w;
    int kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, dilation_h, dilation_w;
} cnn_window_view;

/* The view of a (transposed) convolution, one group: conv2d reads its input
   [C/G, H, W] through windows giving columns [OH, OW]; conv_transpose2d
   writes its output [OC/G, OH, OW] through windows whose columns are its
   input cells [H, W]. */
cnn_window_view cnn_conv_window_view(const cnn_geometry *g, int transposed);

void cnn_im2col(float *col, const float *image, const cnn_window_view *v);
/* image += col2im(col): the adjoint of im2col. */
void cnn_col2im(float *image, const float *col, const cnn_window_view *v);

/* The convolution routes. Each runs on a geometry already validated, where its _applies()
   holds, allocates nothing and cannot fail: its buffers come from `scratch`, a block of its
   _scratch_floats(g) floats (which grows with g's batch, so one block serves smaller ones). */

/* The general route, im2col + GEMM (conv2d.c): forward (out = conv + bias) and backward
   (grad_in and grad_weight accumulated, either NULL). */
long long cnn_conv2d_im2col_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_im2col(float *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g,
                       float *scratch);
long long cnn_conv2d_im2col_backward_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_im2col_backward(float *grad_in, float *grad_weight, const float *grad_out, const float *in,
                                const float *weight, const cnn_geometry *g, float *scratch);

/* 3×3 stride-1 convolution by Winograd F(2×2, 3×3) (winograd.c), used when
   cnn_winograd_applies(): groups 1, undilated, and enough channels on both
   sides that the 16 GEMMs it turns into are not tiny. */
#define CNN_WINOGRAD_MIN_CHANNELS 8
int cnn_winograd_applies(const cnn_geometry *g);
long long cnn_conv2d_winograd_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_winograd(float *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g,
                         float *scratch);
/* grad_weight += the weight gradient of such a layer, by the same algorithm transposed. */
long long cnn_conv2d_winograd_grad_weight_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_winograd_grad_weight(float *grad_weight, const float *grad_out, const float *in, const cnn_geometry *g,
                                     float *scratch);

/* Stride-1 convolution with 5- or 7-wide kernels by Winograd F(4, 5) or F(2, 7) along rows (winograd_rows.c),
   used when cnn_winograd_rows_applies(): groups 1, undilated, enough input channels · kernel
   rows and output channels for its 8 GEMMs. */
int cnn_winograd_rows_applies(const cnn_geometry *g);
long long cnn_conv2d_winograd_rows_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_winograd_rows(float *out, const float *in, const float *weight, const float *bias,
                              const cnn_geometry *g, float *scratch);
/* grad_weight += the weight gradient of such a layer, by the same algorithm transposed. */
long long cnn_conv2d_winograd_rows_grad_weight_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_winograd_rows_grad_weight(float *grad_weight, const float *grad_out, const float *in,
                                          const cnn_geometry *g, float *scratch);

/* Convolution as an implicit GEMM over a padded copy of each image (conv_implicit.c):
   forward (accumulate = 0: out = conv + bias; 1: out += conv, bias ignored) and
   grad_weight (accumulating), where cnn_conv_implicit_applies(). */
int cnn_conv_implicit_applies(const cnn_geometry *g);
long long cnn_conv2d_implicit_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_implicit(float *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g,
                         int accumulate, float *scratch);
long long cnn_conv2d_implicit_grad_weight_scratch_floats(const cnn_geometry *g);
void cnn_conv2d_implicit_grad_weight(float *grad_weight, const float *grad_out, const float *in, const cnn_geometry *g,
                                     float *scratch);

/* grad_in += conv2d's grad_input computed as a forward convolution (conv2d_grad_input.c)
   where stride is 1 and padding within the kernel's reach. _applies() gives the route:
   0 (none), 1 (the implicit GEMM) or CNN_GRAD_INPUT_WINOGRAD, this one only if `winograd`
   (conv2d_plan.c: only on finite tensors); the others take that route. */
#define CNN_GRAD_INPUT_WINOGRAD 2
int cnn_conv2d_grad_input_as_forward_applies(const cnn_geometry *g, int winograd);
long long cnn_conv2d_grad_input_as_forward_scratch_floats(const cnn_geometry *g, int route);
void cnn_conv2d_grad_input_as_forward(float *grad_in, const float *grad_out, const float *weight, const cnn_geometry *g,
                                      int route, float *scratch);

/* A convolution plan (conv2d_plan.c): the routes conv2d takes for one geometry, chosen once,
   and one scratch block for the largest of them. Running it allocates nothing and decides
   nothing but whether the tensors are finite (Winograd's transforms would spread a NaN or
   ±∞ to outputs whose window does not hold it: then its exact route runs). */
typedef enum {
    CNN_CONV_IM2COL,
    CNN_CONV_IMPLICIT,
    CNN_CONV_WINOGRAD,
    CNN_CONV_WINOGRAD_ROWS,
    CNN_CONV_DEPTHWISE
} cnn_conv_route;

typedef struct {
    cnn_geometry g;                        /* solved; batch: the largest the plan runs */
    cnn_conv_route forward, forward_exact; /* _exact: when a tensor is not finite */
    cnn_conv_route grad_weight, grad_weight_exact;
    int grad_input, grad_input_exact; /* cnn_conv2d_grad_input_as_forward_applies(); 0: col2im */
    long long scratch_floats;
    float *scratch;
} cnn_conv2d_plan;

/* Validates g and makes its plan; op names the caller in an error (out of memory: the scratch,
   past CNN_MAX_SCRATCH or not to be had). Nothing stays allocated on failure. */
cnn_status cnn_conv2d_plan_create(cnn_conv2d_plan *plan, const cnn_geometry *g, const char *op);
void cnn_conv2d_plan_destroy(cnn_conv2d_plan *plan);
/* conv2d forward and backward (cnn.h) of the first batch (≤ the plan's) images. */
void cnn_conv2d_plan_forward(float *out, const float *in, const float *weight, const float *bias,
                             const cnn_conv2d_plan *plan, int batch);
void cnn_conv2d_plan_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                              const float *in, const float *weight, const cnn_conv2d_plan *plan, int batch);
/* The functional ops' plans (conv2d_plan_cache.c) are kept for the next call of the same
   geometry; this frees them (the out-of-memory tests start each call from nothing). */
void cnn_conv2d_plan_cache_clear(void);

/* Σ x, and Σ (x − x_shift)·(y − y_shift), over one plane of plane elements, in float
   (plane_sum.c); add planes together in double. */
float cnn_plane_sum(const float *x, long plane);
float cnn_plane_sum_products(const float *x, float x_shift, const float *y, float y_shift, long plane);
/* Whether every one of count floats is finite (no NaN, no ±∞). */
int cnn_all_finite(const float *x, long count);

/* Convolution with groups = in_channels = out_channels (depthwise_conv2d.c), a route as
   above: one scratch block serves forward and backward. */
long long cnn_depthwise_conv2d_scratch_floats(const cnn_geometry *g);
void cnn_depthwise_conv2d_forward(float *out, const float *in, const float *weight, const float *bias,
                                  const cnn_geometry *g, float *scratch);
void cnn_depthwise_conv2d_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                                   const float *in, const float *weight, const cnn_geometry *g, float *scratch);

/* linear (cnn.h) on the caller's scratch of cnn_linear_scratch_floats() floats (which grows
   with the batch): sizes already checked; nothing allocated. */
long long cnn_linear_scratch_floats(int batch, int in_features, int out_features);
void cnn_linear_run_forward(float *out, const float *in, const float *weight, const float *bias, int batch,
                            int in_features, int out_features, float *scratch);
void cnn_linear_run_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                             const float *in, const float *weight, int batch, int in_features, int out_features,
                             float *scratch);

/* Batch norm's eps (positive, finite) and momentum (in [0, 1]), named after op when broken. */
cnn_status cnn_batch_norm2d_check_options(const char *op, float momentum, float eps);

/* out[c, :] = bias[c] over channels planes of plane elements (0 when bias is NULL) (bias.c). */
void cnn_fill_bias(float *out, const float *bias, int channels, long plane);
/* grad_bias[c] += Σ_n Σ_i grad_out[n, c, i] */
void cnn_accumulate_bias_grad(float *grad_bias, const float *grad_out, int batch, int channels, long plane);

#endif
