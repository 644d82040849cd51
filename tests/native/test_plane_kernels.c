/* test_plane_kernels.c — the checkers (microkernel_tests.h) of the plane kernels of
   src/kernels/ outside the GEMM family: depthwise convolution forward and weight gradient, max
   pooling (with and without argmax), average pooling, and the input and output transforms of
   Winograd F(2×2, 3×3) and of F(4, 5) / F(2, 7) along rows. The kernel and its twin run on the
   same seeded inputs at every tail of the tile: widths 1 to WIDTHS(tile) = 2·tile + 3 (every
   remainder, odd and prime widths, more than two groups), a few heights and hyper-parameters.
   They must agree bit for bit (each header states the shared order of operations) and leave
   the sentinels around their outputs alone. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "microkernel_tests.h"

enum { GAP = 16, MAX_HEIGHT = 3 };
#define WIDTHS(e) (2 * (e)->tile_cols + 3)

/* A block of count floats between GAP sentinels on each side; the caller frees block − GAP. */
static float *guarded(long count) {
    float *block = filled_floats((int)(count + 2 * GAP), SENTINEL);
    return block + GAP;
}
static int gaps_intact(const float *block, long count) {
    return all_equal(block - GAP, GAP, SENTINEL) && all_equal(block + count, GAP, SENTINEL);
}

/* The twin's (out[0]) and the kernel's (out[1]) outputs, compared bit for bit (any NaN equal to
   any NaN: a NaN's payload is not the kernels' contract) with their gaps; frees both. */
static void compare(const microkernel_entry *e, const char *shape, float *const out[2], long count) {
    long first = -1;
    for (long i = 0; i < count && first < 0; i++)
        if (memcmp(&out[0][i], &out[1][i], sizeof(float)) != 0 && !(isnan(out[0][i]) && isnan(out[1][i]))) first = i;
    CHECK(first < 0, "%s, %s: %s and %s differ at %ld: %g, %g", e->role, shape, e->kernel, e->twin, first,
          first < 0 ? 0.0 : out[1][first], first < 0 ? 0.0 : out[0][first]);
    CHECK(gaps_intact(out[0], count) && gaps_intact(out[1], count), "%s, %s: wrote outside its output", e->role, shape);
    free(out[0] - GAP), free(out[1] - GAP);
}

/* The window a depthwise kernel is for: kernel size, stride, the largest dilation to try. */
typedef struct {
    int kernel, stride, dilations;
} dwconv_window;

/* The zero-padded plane's width and height for g's output (dwconv.h). */
static int padded_size(int out_size, const dwconv_window *w, int dilation) {
    return (out_size - 1) * w->stride + dilation * (w->kernel - 1) + 1;
}

/* Depthwise forward (forward[0] the twin, forward[1] the kernel) or, without them, the weight
   gradient (grad): out widths 1 … WIDTHS, heights 1 … 3. Returns the tails taken. */
static long dwconv_tails(cnn_dwconv_plane_kernel *const *forward, cnn_dwconv_grad_weight_plane_kernel *const *grad,
                         const microkernel_entry *e, dwconv_window w) {
    long tails = 0;
    for (int dilation = 1; dilation <= w.dilations; dilation++)
        for (int out_h = 1; out_h <= MAX_HEIGHT; out_h++)
            for (int out_w = 1; out_w <= WIDTHS(e); out_w++, tails++) {
                cnn_geometry g = cnn_geometry_default();
                g.kernel_h = g.kernel_w = w.kernel, g.stride_h = g.stride_w = w.stride;
                g.dilation_h = g.dilation_w = dilation, g.out_height = out_h, g.out_width = out_w;
                const int tiled_w = (out_w + CNN_DWCONV_TILE_COLS - 1) / CNN_DWCONV_TILE_COLS * CNN_DWCONV_TILE_COLS;
                const int padded_w = padded_size(tiled_w, &w, dilation), padded_h = padded_size(out_h, &w, dilation);
                const int taps = w.kernel * w.kernel, out_count = forward ? out_h * out_w : taps;
                float *padded = random_floats(padded_h * padded_w), *weight = random_floats(taps);
                float *grad_out = random_floats(out_h * out_w), *out[2];
                for (int which = 0; which < 2; which++) {
                    out[which] = guarded(out_count);
                    if (forward) {
                        forward[which](out[which], padded, weight, 0.25f, &g, padded_w);
                    } else {
                        memset(out[which], 0, sizeof(float) * (size_t)out_count);
                        grad[which](out[which], grad_out, padded, &g, padded_w);
                    }
                }
                char shape[96];
                snprintf(shape, sizeof shape, "out %d×%d, dilation %d", out_h, out_w, dilation);
                compare(e, shape, out, out_count);
                free(padded), free(weight), free(grad_out);
            }
    return tails;
}
#define FORWARD(kernel, twin) (cnn_dwconv_plane_kernel *const[]){twin, kernel}, NULL
#define GRAD(kernel, twin)                                                                                             \
    NULL, (cnn_dwconv_grad_weight_plane_kernel *const[]) { twin, kernel }

long check_dwconv(cnn_dwconv_plane_kernel *kernel, cnn_dwconv_plane_kernel *twin, const microkernel_entry *e) {
    return dwconv_tails(FORWARD(kernel, twin), e, (dwconv_window){2, 2, 2});
}
long check_dwconv_3x3s1(cnn_dwconv_plane_kernel *kernel, cnn_dwconv_plane_kernel *twin, const microkernel_entry *e) {
    return dwconv_tails(FORWARD(kernel, twin), e, (dwconv_window){3, 1, 2});
}
long check_dwconv_3x3s2(cnn_dwconv_plane_kernel *kernel, cnn_dwconv_plane_kernel *twin, const microkernel_entry *e) {
    return dwconv_tails(FORWARD(kernel, twin), e, (dwconv_window){3, 2, 1});
}
long check_dwconv_grad_weight(cnn_dwconv_grad_weight_plane_kernel *kernel, cnn_dwconv_grad_weight_plane_kernel *twin,
                              const microkernel_entry *e) {
    return dwconv_tails(GRAD(kernel, twin), e, (dwconv_window){2, 2, 2});
}
long check_dwconv_grad_weight_3x3(cnn_dwconv_grad_weight_plane_kernel *kernel,
                                  cnn_dwconv_grad_weight_plane_kernel *twin, const microkernel_entry *e) {
    return dwconv_tails(GRAD(kernel, twin), e, (dwconv_window){3, 1, 2});
}

/* Pooling (max with argmax: with_argmax[0] the twin, [1] the kernel; else values: max or average):
   input widths 1 … 2·WIDTHS, heights 1 … 5, kernel 2 and 3, stride 1 and 2, padding 0 and 1,
   ceil_mode, dilation 2 for max (average pooling has none); a NaN in some planes. argmax
   compared as well, as ints. Returns the tails taken (input widths × heights). */
static long pool_tails(cnn_max_pool_plane_kernel *const *with_argmax, cnn_pool_plane_kernel *const *values, int average,
                       const microkernel_entry *e) {
    long tails = 0;
    for (int kernel = 2; kernel <= 3; kernel++)
        for (int stride = 1; stride <= 2; stride++)
            for (int pad = 0; pad <= kernel / 2; pad++)
                for (int dilation = 1; dilation <= (average ? 1 : 2); dilation++)
                    for (int in_h = 1; in_h <= 5; in_h++)
                        for (int in_w = 1; in_w <= 2 * WIDTHS(e); in_w++) {
                            cnn_geometry g = cnn_geometry_default();
                            g.batch = g.in_channels = 1, g.in_height = in_h, g.in_width = in_w;
                            g.kernel_h = g.kernel_w = kernel, g.stride_h = g.stride_w = stride;
                            g.pad_top = g.pad_bottom = g.pad_left = g.pad_right = pad;
                            g.dilation_h = g.dilation_w = dilation, g.ceil_mode = (in_w + in_h) % 2;
                            g.count_include_pad = in_w % 3 != 0;
                            if ((average ? cnn_avg_pool2d_geometry(&g) : cnn_max_pool2d_geometry(&g)) != CNN_OK)
                                continue;
                            const int out_count = g.out_height * g.out_width;
                            float *in = random_floats(in_h * in_w), *out[2];
                            if (in_w % 5 == 0) in[in_h * in_w / 2] = NAN;
                            int32_t *argmax[2] = {malloc(sizeof(int32_t) * (size_t)out_count),
                                                  malloc(sizeof(int32_t) * (size_t)out_count)};
                            for (int which = 0; which < 2; which++) {
                                out[which] = guarded(out_count);
                                if (with_argmax)
                                    with_argmax[which](out[which], argmax[which], in, &g);
                                else
                                    values[which](out[which], in, &g);
                            }
                            char shape[128];
                            snprintf(shape, sizeof shape,
                                     "in %d×%d, kernel %d, stride %d, pad %d, dilation %d, ceil %d", in_h, in_w, kernel,
                                     stride, pad, dilation, g.ceil_mode);
                            compare(e, shape, out, out_count);
                            if (with_argmax)
                                CHECK(memcmp(argmax[0], argmax[1], sizeof(int32_t) * (size_t)out_count) == 0,
                                      "%s, %s: argmax differs", e->role, shape);
                            free(in), free(argmax[0]), free(argmax[1]), tails++;
                        }
    return tails;
}
long check_max_pool(cnn_max_pool_plane_kernel *kernel, cnn_max_pool_plane_kernel *twin, const microkernel_entry *e) {
    return pool_tails((cnn_max_pool_plane_kernel *const[]){twin, kernel}, NULL, 0, e);
}
long check_max_pool_values(cnn_pool_plane_kernel *kernel, cnn_pool_plane_kernel *twin, const microkernel_entry *e) {
    return pool_tails(NULL, (cnn_pool_plane_kernel *const[]){twin, kernel}, 0, e);
}
long check_avg_pool(cnn_pool_plane_kernel *kernel, cnn_pool_plane_kernel *twin, const microkernel_entry *e) {
    return pool_tails(NULL, (cnn_pool_plane_kernel *const[]){twin, kernel}, 1, e);
}

/* F(2×2, 3×3), input (input[0] the twin, [1] the kernel) or output: tiles_w 1 … WIDTHS,
   tiles_h 1 … 3; the output cropped to odd and even sizes. */
static long winograd_tails(cnn_winograd_input_kernel *const *input, cnn_winograd_output_kernel *const *output,
                           const microkernel_entry *e) {
    long tails = 0;
    for (int tiles_h = 1; tiles_h <= MAX_HEIGHT; tiles_h++)
        for (int tiles_w = 1; tiles_w <= WIDTHS(e); tiles_w++)
            for (int crop = 0; crop <= (input ? 0 : 1); crop++, tails++) {
                const long tiles = (long)tiles_h * tiles_w, stride = tiles + 3;
                const int padded_w = 2 * ((tiles_w + 3) / 4 * 4) + 4, padded_h = 2 * tiles_h + 2;
                const int out_h = 2 * tiles_h - crop, out_w = 2 * tiles_w - crop;
                const long out_count = input ? 16 * stride : (long)out_h * out_w;
                float *source = random_floats(input ? padded_h * padded_w : (int)(16 * stride)), *out[2];
                for (int which = 0; which < 2; which++) {
                    out[which] = guarded(out_count);
                    if (input) {
                        memset(out[which], 0, sizeof(float) * (size_t)out_count); /* the gaps between positions */
                        input[which](out[which], stride, source, padded_w, tiles_h, tiles_w);
                    } else {
                        output[which](out[which], source, stride, tiles_h, tiles_w, out_h, out_w, 0.5f);
                    }
                }
                char shape[64];
                snprintf(shape, sizeof shape, "%d×%d tiles, output %d×%d", tiles_h, tiles_w, out_h, out_w);
                compare(e, shape, out, out_count);
                free(source);
            }
    return tails;
}
long check_winograd_input(cnn_winograd_input_kernel *kernel, cnn_winograd_input_kernel *twin,
                          const microkernel_entry *e) {
    return winograd_tails((cnn_winograd_input_kernel *const[]){twin, kernel}, NULL, e);
}
long check_winograd_output(cnn_winograd_output_kernel *kernel, cnn_winograd_output_kernel *twin,
                           const microkernel_entry *e) {
    return winograd_tails(NULL, (cnn_winograd_output_kernel *const[]){twin, kernel}, e);
}

/* Along rows, m = 4 (F(4, 5)) and 2 (F(2, 7)), input (input[0] the twin, [1] the kernel) or
   output: tiles 1 … WIDTHS (output widths 1 … m·WIDTHS), rows 1 … 3. */
static long winograd_rows_tails(cnn_winograd_rows_input_kernel *const *input,
                                cnn_winograd_rows_output_kernel *const *output, const microkernel_entry *e) {
    long tails = 0;
    for (int tile = 2; tile <= 4; tile += 2)
        for (int rows = 1; rows <= MAX_HEIGHT; rows++)
            for (int out_w = 1; out_w <= tile * WIDTHS(e); out_w++, tails++) {
                const int tiles = (out_w + tile - 1) / tile, padded_w = tile * tiles + 8 - tile;
                const long stride = (long)rows * tiles + 5;
                const long out_count = input ? 8 * stride : (long)rows * out_w;
                float *source = random_floats(input ? rows * padded_w : (int)(8 * stride)), *out[2];
                for (int which = 0; which < 2; which++) {
                    out[which] = guarded(out_count);
                    if (input) {
                        memset(out[which], 0, sizeof(float) * (size_t)out_count);
                        input[which](out[which], stride, source, padded_w, rows, tiles, tile);
                    } else {
                        output[which](out[which], source, stride, rows, out_w, tiles, tile, -0.5f);
                    }
                }
                char shape[64];
                snprintf(shape, sizeof shape, "m %d, %d rows, output width %d", tile, rows, out_w);
                compare(e, shape, out, out_count);
                free(source);
            }
    return tails;
}
long check_winograd_rows_input(cnn_winograd_rows_input_kernel *kernel, cnn_winograd_rows_input_kernel *twin,
                               const microkernel_entry *e) {
    return winograd_rows_tails((cnn_winograd_rows_input_kernel *const[]){twin, kernel}, NULL, e);
}
long check_winograd_rows_output(cnn_winograd_rows_output_kernel *kernel, cnn_winograd_rows_output_kernel *twin,
                                const microkernel_entry *e) {
    return winograd_rows_tails(NULL, (cnn_winograd_rows_output_kernel *const[]){twin, kernel}, e);
}
