/* test_plane_kernels.c — the plane kernels of src/kernels/ outside the GEMM family (those are
   test_microkernels.c's): depthwise convolution forward and weight gradient, max pooling (with
   and without argmax), average pooling, and the input and output transforms of Winograd
   F(2×2, 3×3) and of F(4, 5) / F(2, 7) along rows. In the wasm build (run-wasm.sh, -msimd128)
   each SIMD128 kernel runs beside its scalar twin on the same seeded inputs, at every tail of
   its tile (output widths 1 to past two tiles, a few heights and hyper-parameters), and the two
   must agree bit for bit (each header states the shared order of operations) and leave the
   sentinels around their outputs alone. The native build has no SIMD twins: nothing to compare.
   The list below names each kernel, its tile and its twins; a kernel added to it is tested. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "kernels/dwconv.h"
#include "kernels/pool.h"
#include "kernels/winograd.h"
#include "kernels/winograd_rows.h"

#ifdef __wasm_simd128__

enum { GAP = 16, MAX_WIDTH = 11, MAX_HEIGHT = 3 };
typedef void (*any_kernel)(void);

/* A block of count floats between GAP sentinels on each side; the caller frees block − GAP. */
static float *guarded(long count) {
    float *block = filled_floats((int)(count + 2 * GAP), SENTINEL);
    return block + GAP;
}
static int gaps_intact(const float *block, long count) {
    return all_equal(block - GAP, GAP, SENTINEL) && all_equal(block + count, GAP, SENTINEL);
}

/* Both twins' outputs, compared bit for bit (any NaN equal to any NaN: a NaN's payload is not
   the kernels' contract) with their gaps. */
static void compare(const char *name, const char *shape, float *const out[2], long count) {
    long first = -1;
    for (long i = 0; i < count && first < 0; i++)
        if (memcmp(&out[0][i], &out[1][i], sizeof(float)) != 0 && !(isnan(out[0][i]) && isnan(out[1][i]))) first = i;
    CHECK(first < 0, "%s, %s: SIMD and scalar differ at %ld: %g, %g", name, shape, first,
          first < 0 ? 0.0 : out[1][first], first < 0 ? 0.0 : out[0][first]);
    CHECK(gaps_intact(out[0], count) && gaps_intact(out[1], count), "%s, %s: wrote outside its output", name, shape);
}

typedef struct kernel_entry {
    const char *name, *tile;
    void (*check)(const struct kernel_entry *k);
    any_kernel simd, scalar;
    int kernel, stride, dilation; /* the hyper-parameters the kernel is for (0: the checker's choice) */
} kernel_entry;

typedef void (*dwconv_plane)(float *out, const float *padded, const float *weight, float bias, const cnn_geometry *g,
                             int padded_w);
typedef void (*dwconv_grad_plane)(float *grad_weight, const float *grad_out, const float *padded, const cnn_geometry *g,
                                  int padded_w);

/* Depthwise, forward or weight gradient (forward = 1 / 0): out widths 1 … MAX_WIDTH, heights 1 … 3. */
static void check_dwconv(const kernel_entry *k, int forward) {
    for (int dilation = 1; dilation <= (k->dilation ? k->dilation : 2); dilation++)
        for (int out_h = 1; out_h <= MAX_HEIGHT; out_h++)
            for (int out_w = 1; out_w <= MAX_WIDTH; out_w++) {
                cnn_geometry g = cnn_geometry_default();
                g.kernel_h = g.kernel_w = k->kernel, g.stride_h = g.stride_w = k->stride;
                g.dilation_h = g.dilation_w = dilation, g.out_height = out_h, g.out_width = out_w;
                const int tiled_w = (out_w + CNN_DWCONV_TILE_COLS - 1) / CNN_DWCONV_TILE_COLS * CNN_DWCONV_TILE_COLS;
                const int padded_w = (tiled_w - 1) * k->stride + dilation * (k->kernel - 1) + 1;
                const int padded_h = (out_h - 1) * k->stride + dilation * (k->kernel - 1) + 1;
                const int taps = k->kernel * k->kernel, out_count = forward ? out_h * out_w : taps;
                float *padded = random_floats(padded_h * padded_w), *weight = random_floats(taps);
                float *grad_out = random_floats(out_h * out_w), *out[2];
                for (int twin = 0; twin < 2; twin++) {
                    out[twin] = guarded(out_count);
                    if (!forward) memset(out[twin], 0, sizeof(float) * (size_t)out_count);
                    if (forward)
                        ((dwconv_plane)(twin ? k->simd : k->scalar))(out[twin], padded, weight, 0.25f, &g, padded_w);
                    else
                        ((dwconv_grad_plane)(twin ? k->simd : k->scalar))(out[twin], grad_out, padded, &g, padded_w);
                }
                char shape[96];
                snprintf(shape, sizeof shape, "out %d×%d, dilation %d", out_h, out_w, dilation);
                compare(k->name, shape, out, out_count);
                free(padded), free(weight), free(grad_out), free(out[0] - GAP), free(out[1] - GAP);
            }
}
static void check_dwconv_forward(const kernel_entry *k) { check_dwconv(k, 1); }
static void check_dwconv_grad_weight(const kernel_entry *k) { check_dwconv(k, 0); }

typedef void (*maxpool_plane)(float *out, int32_t *argmax, const float *in, const cnn_geometry *g);
typedef void (*values_plane)(float *out, const float *in, const cnn_geometry *g);

/* Pooling: input widths 1 … 2·MAX_WIDTH, heights 1 … 5, kernel 2 and 3, stride 1 and 2,
   padding 0 and 1, ceil_mode, dilation 2 for max (average pooling has none); a NaN in some
   planes. argmax (maxpool with indices) compared as well, as ints. */
static void check_pool(const kernel_entry *k) {
    const int with_argmax = strcmp(k->name, "f32-maxpool") == 0, average = strcmp(k->name, "f32-avgpool") == 0;
    for (int kernel = 2; kernel <= 3; kernel++)
        for (int stride = 1; stride <= 2; stride++)
            for (int pad = 0; pad <= kernel / 2; pad++)
                for (int dilation = 1; dilation <= (average ? 1 : 2); dilation++)
                    for (int in_h = 1; in_h <= 5; in_h++)
                        for (int in_w = 1; in_w <= 2 * MAX_WIDTH; in_w++) {
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
                            for (int twin = 0; twin < 2; twin++) {
                                out[twin] = guarded(out_count);
                                any_kernel run = twin ? k->simd : k->scalar;
                                if (with_argmax)
                                    ((maxpool_plane)run)(out[twin], argmax[twin], in, &g);
                                else
                                    ((values_plane)run)(out[twin], in, &g);
                            }
                            char shape[128];
                            snprintf(shape, sizeof shape,
                                     "in %d×%d, kernel %d, stride %d, pad %d, dilation %d, ceil %d", in_h, in_w, kernel,
                                     stride, pad, dilation, g.ceil_mode);
                            compare(k->name, shape, out, out_count);
                            if (with_argmax)
                                CHECK(memcmp(argmax[0], argmax[1], sizeof(int32_t) * (size_t)out_count) == 0,
                                      "%s, %s: argmax differs", k->name, shape);
                            free(in), free(argmax[0]), free(argmax[1]), free(out[0] - GAP), free(out[1] - GAP);
                        }
}

typedef void (*winograd_input_plane)(float *v, long stride, const float *padded, int padded_w, int tiles_h,
                                     int tiles_w);
typedef void (*winograd_output_plane)(float *plane, const float *m, long stride, int tiles_h, int tiles_w, int out_h,
                                      int out_w, float bias);

/* F(2×2, 3×3): tiles_w 1 … MAX_WIDTH, tiles_h 1 … 3; the output cropped to odd and even sizes. */
static void check_winograd(const kernel_entry *k) {
    const int input = strstr(k->name, "input") != NULL;
    for (int tiles_h = 1; tiles_h <= MAX_HEIGHT; tiles_h++)
        for (int tiles_w = 1; tiles_w <= MAX_WIDTH; tiles_w++)
            for (int crop = 0; crop <= (input ? 0 : 1); crop++) {
                const long tiles = (long)tiles_h * tiles_w, stride = tiles + 3;
                const int padded_w = 2 * ((tiles_w + 3) / 4 * 4) + 4, padded_h = 2 * tiles_h + 2;
                const int out_h = 2 * tiles_h - crop, out_w = 2 * tiles_w - crop;
                const long out_count = input ? 16 * stride : (long)out_h * out_w;
                float *source = random_floats(input ? padded_h * padded_w : (int)(16 * stride)), *out[2];
                for (int twin = 0; twin < 2; twin++) {
                    out[twin] = guarded(out_count);
                    if (input) memset(out[twin], 0, sizeof(float) * (size_t)out_count); /* the gaps between positions */
                    any_kernel run = twin ? k->simd : k->scalar;
                    if (input)
                        ((winograd_input_plane)run)(out[twin], stride, source, padded_w, tiles_h, tiles_w);
                    else
                        ((winograd_output_plane)run)(out[twin], source, stride, tiles_h, tiles_w, out_h, out_w, 0.5f);
                }
                char shape[64];
                snprintf(shape, sizeof shape, "%d×%d tiles, output %d×%d", tiles_h, tiles_w, out_h, out_w);
                compare(k->name, shape, out, out_count);
                free(source), free(out[0] - GAP), free(out[1] - GAP);
            }
}

typedef void (*rows_input_plane)(float *v, long stride, const float *plane, int padded_w, int rows, int tiles,
                                 int tile);
typedef void (*rows_output_plane)(float *plane, const float *m, long stride, int out_h, int out_w, int tiles, int tile,
                                  float bias);

/* Along rows, m = 4 (F(4, 5)) and 2 (F(2, 7)): output widths 1 … 2·MAX_WIDTH, rows 1 … 3. */
static void check_winograd_rows(const kernel_entry *k) {
    const int input = strstr(k->name, "input") != NULL;
    for (int tile = 2; tile <= 4; tile += 2)
        for (int rows = 1; rows <= MAX_HEIGHT; rows++)
            for (int out_w = 1; out_w <= 2 * MAX_WIDTH; out_w++) {
                const int tiles = (out_w + tile - 1) / tile, padded_w = tile * tiles + 8 - tile;
                const long stride = (long)rows * tiles + 5;
                const long out_count = input ? 8 * stride : (long)rows * out_w;
                float *source = random_floats(input ? rows * padded_w : (int)(8 * stride)), *out[2];
                for (int twin = 0; twin < 2; twin++) {
                    out[twin] = guarded(out_count);
                    if (input) memset(out[twin], 0, sizeof(float) * (size_t)out_count);
                    any_kernel run = twin ? k->simd : k->scalar;
                    if (input)
                        ((rows_input_plane)run)(out[twin], stride, source, padded_w, rows, tiles, tile);
                    else
                        ((rows_output_plane)run)(out[twin], source, stride, rows, out_w, tiles, tile, -0.5f);
                }
                char shape[64];
                snprintf(shape, sizeof shape, "m %d, %d rows, output width %d", tile, rows, out_w);
                compare(k->name, shape, out, out_count);
                free(source), free(out[0] - GAP), free(out[1] - GAP);
            }
}

#define TWINS(name)    (any_kernel) cnn_##name##__wasmsimd, (any_kernel)cnn_##name##__scalar
#define TWINS_4X(name) (any_kernel) cnn_##name##_4x__wasmsimd, (any_kernel)cnn_##name##__scalar

static const kernel_entry KERNELS[] = {
    {"f32-dwconv", "4 columns", check_dwconv_forward, TWINS(f32_dwconv), 2, 2, 0},
    {"f32-dwconv-3x3s1", "4 columns", check_dwconv_forward, TWINS(f32_dwconv_3x3s1), 3, 1, 0},
    {"f32-dwconv-3x3s2", "4 columns", check_dwconv_forward, TWINS(f32_dwconv_3x3s2), 3, 2, 1},
    {"f32-dwconv-grad-weight", "16 lanes", check_dwconv_grad_weight, TWINS(f32_dwconv_grad_weight), 2, 2, 0},
    {"f32-dwconv-grad-weight-3x3", "4 lanes", check_dwconv_grad_weight, TWINS(f32_dwconv_grad_weight_3x3), 3, 1, 0},
    {"f32-maxpool", "4 columns", check_pool, TWINS(f32_maxpool), 0, 0, 0},
    {"f32-maxpool-values", "4 columns", check_pool, TWINS(f32_maxpool_values), 0, 0, 0},
    {"f32-avgpool", "4 columns", check_pool, TWINS(f32_avgpool), 0, 0, 0},
    {"f32-winograd-input", "4 tiles", check_winograd, TWINS_4X(f32_winograd_input), 0, 0, 0},
    {"f32-winograd-output", "4 tiles", check_winograd, TWINS_4X(f32_winograd_output), 0, 0, 0},
    {"f32-winograd-rows-input", "4 tiles", check_winograd_rows, TWINS(f32_winograd_rows_input), 0, 0, 0},
    {"f32-winograd-rows-output", "4 tiles", check_winograd_rows, TWINS(f32_winograd_rows_output), 0, 0, 0},
};

void test_plane_kernels(void) {
    for (size_t i = 0; i < sizeof KERNELS / sizeof KERNELS[0]; i++) KERNELS[i].check(&KERNELS[i]);
}

#else

void test_plane_kernels(void) {} /* no SIMD twins in a native build */

#endif
