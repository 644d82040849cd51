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
cnn_status cnn_fail(cnn_status status, const char *op, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* malloc of count floats (or ints); NULL with CNN_OUT_OF_MEMORY recorded on failure or
   when count passes CNN_MAX_SCRATCH. */
float *cnn_alloc_floats(const char *op, long long count);

/* Checks that a count is a positive size, and that the element count a·b·c·d
   of a tensor stays within CNN_MAX_ELEMENTS (factors already positive; pass 1
   for unused ones); "name" is the argument the caller reports. */
cnn_status cnn_check_positive(const char *op, const char *name, long long value);
cnn_status cnn_check_elements(const char *op, const char *name, long long a, long long b,
                              long long c, long long d);

/* C[m×n] (+)= A[m×k] · B[k×n], with A(i,p) = a[i·a_row + p·a_col] and
   B(p,j) = b[p·b_row + j·b_col], so transposes are only strides; C row-major
   with leading dimension ldc. accumulate = 0 overwrites C. op names the
   caller in an out-of-memory error (the packing buffers). */
cnn_status cnn_gemm(const char *op, float *c, int ldc, const float *a, int a_row, int a_col, const float *b,
                    int b_row, int b_col, int m, int n, int k, int accumulate);

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

/* 3×3 stride-1 convolution by Winograd F(2×2, 3×3) (winograd.c), used when
   cnn_winograd_applies(): groups 1, undilated, and enough channels on both
   sides that the 16 GEMMs it turns into are not tiny. */
#define CNN_WINOGRAD_MIN_CHANNELS 8
int cnn_winograd_applies(const cnn_geometry *g);
cnn_status cnn_conv2d_winograd(float *out, const float *in, const float *weight, const float *bias,
                               const cnn_geometry *g);
/* grad_weight += the weight gradient of such a layer, by the same algorithm transposed. */
cnn_status cnn_conv2d_winograd_grad_weight(float *grad_weight, const float *grad_out, const float *in,
                                           const cnn_geometry *g);

/* Stride-1 convolution with 5- or 7-wide kernels by Winograd F(4, 5) or F(2, 7) along rows (winograd_rows.c),
   used when cnn_winograd_rows_applies(): groups 1, undilated, enough input channels · kernel
   rows and output channels for its 8 GEMMs. */
int cnn_winograd_rows_applies(const cnn_geometry *g);
cnn_status cnn_conv2d_winograd_rows(float *out, const float *in, const float *weight, const float *bias,
                                    const cnn_geometry *g);
/* grad_weight += the weight gradient of such a layer, by the same algorithm transposed. */
cnn_status cnn_conv2d_winograd_rows_grad_weight(float *grad_weight, const float *grad_out, const float *in,
                                                const cnn_geometry *g);

/* Convolution as an implicit GEMM over a padded copy of each image (conv_implicit.c):
   forward (accumulate = 0: out = conv + bias; 1: out += conv, bias ignored) and
   grad_weight (accumulating). Call only where cnn_conv_implicit_applies(). */
int cnn_conv_implicit_applies(const cnn_geometry *g);
cnn_status cnn_conv2d_implicit(float *out, const float *in, const float *weight, const float *bias,
                               const cnn_geometry *g, int accumulate);
cnn_status cnn_conv2d_implicit_grad_weight(float *grad_weight, const float *grad_out, const float *in,
                                           const cnn_geometry *g);
/* grad_in += conv2d's grad_input computed as a forward convolution (conv2d_grad_input.c);
   call only where the _applies() holds (stride 1, padding within the kernel's reach). */
/* winograd: whether its Winograd routes may run (conv2d.c: only on finite tensors). _applies()
   is 0, 1 (the implicit GEMM) or CNN_GRAD_INPUT_WINOGRAD. */
#define CNN_GRAD_INPUT_WINOGRAD 2
int cnn_conv2d_grad_input_as_forward_applies(const cnn_geometry *g, int winograd);
cnn_status cnn_conv2d_grad_input_as_forward(float *grad_in, const float *grad_out, const float *weight,
                                            const cnn_geometry *g, int winograd);

/* Σ x, and Σ (x − x_shift)·(y − y_shift), over one plane of plane elements, in float
   (plane_sum.c); add planes together in double. */
float cnn_plane_sum(const float *x, long plane);
float cnn_plane_sum_products(const float *x, float x_shift, const float *y, float y_shift, long plane);
/* Whether every one of count floats is finite (no NaN, no ±∞). */
int cnn_all_finite(const float *x, long count);

/* Convolution with groups = in_channels = out_channels (depthwise_conv2d.c),
   which conv2d forward and backward hand on; geometry already validated. */
cnn_status cnn_depthwise_conv2d_forward(float *out, const float *in, const float *weight, const float *bias,
                                        const cnn_geometry *g);
cnn_status cnn_depthwise_conv2d_backward(float *grad_in, float *grad_weight, float *grad_bias,
                                         const float *grad_out, const float *in, const float *weight,
                                         const cnn_geometry *g);

/* Batch norm's eps (positive, finite) and momentum (in [0, 1]), named after op when broken. */
cnn_status cnn_batch_norm2d_check_options(const char *op, float momentum, float eps);

/* out[c, :] = bias[c] over channels planes of plane elements (0 when bias is NULL). */
void cnn_fill_bias(float *out, const float *bias, int channels, long plane);
/* grad_bias[c] += Σ_n Σ_i grad_out[n, c, i] */
void cnn_accumulate_bias_grad(float *grad_bias, const float *grad_out, int batch, int channels,
                              long plane);

#endif
