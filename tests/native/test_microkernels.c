/* test_microkernels.c — each GEMM-family microkernel at every tail size (m ≤ MR rows, n ≤ NR
   columns, several depths k, accumulate on and off), called directly: the scalar twin against
   the definition in double, and, in the wasm build (run-wasm.sh, -msimd128), the SIMD twin
   against the scalar one, bit for bit (both sum in the same order, kernels/gemm.h). Outputs
   sit between sentinel gaps, which must stay untouched; inputs are exactly sized. The list
   below names each kernel, its tile, and its twins. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "kernels/gemm.h"
#include "kernels/wgrad.h"

enum { MR = CNN_GEMM_MR, NR = CNN_GEMM_NR, LDC = NR + 3, C_SIZE = NR * LDC + 5 }; /* room for either layout */
static const int DEPTHS[] = {1, 2, 3, 5, 8, 17};

/* One call of a kernel on fixed inputs (seeded), into c; twin 0 = scalar, 1 = SIMD. */
typedef void (*kernel_call)(int twin, int k, int m, int n, int accumulate, float *c);
/* c[i·LDC + j] for i < m, j < n after a call with c starting at `start`, from the definition. */
typedef double (*definition)(int k, int m, int n, int i, int j, float start);

static float *inputs[4];
static int32_t offsets[32];
static const float *pixels[MR];

/* a_packed k·MR, b_packed k·NR (or pixel rows), init: seeded normal values; B rows at offsets. */
static void make_inputs(int k) {
    random_seed((uint32_t)(1000 + k));
    for (int i = 0; i < 4; i++) free(inputs[i]);
    inputs[0] = random_floats(k * MR), inputs[1] = random_floats(k * NR), inputs[2] = random_floats(NR);
    inputs[3] = random_floats(64 + 4 * k + NR); /* an image the offsets index: rows in place */
    for (int p = 0; p < k; p++) offsets[p] = (p * 7) % 64;
    for (int i = 0; i < MR; i++) pixels[i] = inputs[3] + 3 * i;
}

static void gemm(int twin, int k, int m, int n, int accumulate, float *c) {
#ifdef __wasm_simd128__
    if (twin) return cnn_f32_gemm_4x8__wasmsimd(k, inputs[0], inputs[1], c, LDC, m, n, accumulate);
#endif
    (void)twin;
    cnn_f32_gemm_4x8__scalar(k, inputs[0], inputs[1], c, LDC, m, n, accumulate);
}
static double gemm_definition(int k, int m, int n, int i, int j, float start) {
    (void)m, (void)n;
    double sum = start;
    for (int p = 0; p < k; p++) sum += (double)inputs[0][p * MR + i] * inputs[1][p * NR + j];
    return sum;
}

static void igemm(int twin, int k, int m, int n, int accumulate, float *c) {
#ifdef __wasm_simd128__
    if (twin) return cnn_f32_igemm_4x8__wasmsimd(k, inputs[0], inputs[3], offsets, inputs[2], c, LDC, m, n, accumulate);
#endif
    (void)twin;
    cnn_f32_igemm_4x8__scalar(k, inputs[0], inputs[3], offsets, inputs[2], c, LDC, m, n, accumulate);
}
static double igemm_definition(int k, int m, int n, int i, int j, float start) {
    (void)m, (void)n;
    double sum = start + (double)inputs[2][i];
    for (int p = 0; p < k; p++) sum += (double)inputs[0][p * MR + i] * inputs[3][offsets[p] + j];
    return sum;
}

/* pixels: out[j·LDC + i] for pixel i < m, channel j < n — stored transposed in c (ldc = LDC). */
static void igemm_pixels(int twin, int k, int m, int n, int accumulate, float *c) {
#ifdef __wasm_simd128__
    if (twin)
        return cnn_f32_igemm_pixels_4x8__wasmsimd(k, pixels, offsets, inputs[1], inputs[2], c, LDC, m, n, accumulate);
#endif
    (void)twin;
    cnn_f32_igemm_pixels_4x8__scalar(k, pixels, offsets, inputs[1], inputs[2], c, LDC, m, n, accumulate);
}
static double igemm_pixels_definition(int k, int m, int n, int i, int j, float start) {
    (void)m, (void)n;
    double sum = start + (double)inputs[2][j];
    for (int p = 0; p < k; p++) sum += (double)pixels[i][offsets[p]] * inputs[1][p * NR + j];
    return sum;
}

/* wgrad: k output pixels as 1 row of k columns; c[i·LDC + j] += Σ_ow image[offsets[i] + ow] · b[ow·NR + j],
   every NR column stored (n = NR), rows i < m; always accumulates. */
static void wgrad(int twin, int k, int m, int n, int accumulate, float *c) {
    (void)n, (void)accumulate;
#ifdef __wasm_simd128__
    if (twin) return cnn_f32_wgrad_4x8__wasmsimd(1, k, inputs[3], offsets, 0, inputs[1], c, LDC, m);
#endif
    (void)twin;
    cnn_f32_wgrad_4x8__scalar(1, k, inputs[3], offsets, 0, inputs[1], c, LDC, m);
}
static double wgrad_definition(int k, int m, int n, int i, int j, float start) {
    (void)m, (void)n;
    double sum = 0;
    for (int ow = 0; ow < k; ow++) sum += (double)inputs[3][offsets[i] + ow] * inputs[1][ow * NR + j];
    return start + (float)sum;
}

/* The microkernels: name, tile, twins (scalar, and wasmsimd where built), whether n has a tail. */
static const struct {
    const char *name, *tile;
    kernel_call call;
    definition define;
    int column_tails, always_accumulates;
} KERNELS[] = {
    {"gemm", "4x8", gemm, gemm_definition, 1, 0},
    {"igemm", "4x8", igemm, igemm_definition, 1, 0},
    {"igemm_pixels", "4x8 (pixels × channels)", igemm_pixels, igemm_pixels_definition, 1, 0},
    {"wgrad", "4x8", wgrad, wgrad_definition, 0, 1},
};

static void every_tail(void) {
    for (size_t kernel = 0; kernel < sizeof KERNELS / sizeof KERNELS[0]; kernel++)
        for (size_t d = 0; d < sizeof DEPTHS / sizeof DEPTHS[0]; d++) {
            const int k = DEPTHS[d];
            make_inputs(k);
            for (int m = 1; m <= MR; m++)
                for (int n = KERNELS[kernel].column_tails ? 1 : NR; n <= NR; n++)
                    for (int accumulate = KERNELS[kernel].always_accumulates; accumulate <= 1; accumulate++) {
                        /* want: the tile's cells start at 0.5 (seen when accumulating), the valid ones
                           get the definition, everything else (gaps, the tail) keeps its start */
                        const int transposed = KERNELS[kernel].call == igemm_pixels; /* out[j·LDC + i] */
                        float start[C_SIZE], scalar[C_SIZE];
                        double want[C_SIZE];
                        for (int i = 0; i < C_SIZE; i++) want[i] = SENTINEL;
                        for (int i = 0; i < MR; i++)
                            for (int j = 0; j < NR; j++) {
                                const int at = transposed ? j * LDC + i : i * LDC + j;
                                want[at] = i < m && j < n
                                               ? KERNELS[kernel].define(k, m, n, i, j, accumulate ? 0.5f : 0.0f)
                                               : 0.5;
                                start[at] = 0.5f;
                            }
                        for (int i = 0; i < C_SIZE; i++)
                            if (want[i] == SENTINEL) start[i] = SENTINEL;
                        memcpy(scalar, start, sizeof scalar);
                        KERNELS[kernel].call(0, k, m, n, accumulate, scalar);
                        int same = 1;
                        for (int i = 0; i < C_SIZE; i++) same &= close_enough(scalar[i], want[i], 1e-5, 1e-5);
                        CHECK(same,
                              "%s %s scalar, k %d, m %d, n %d, accumulate %d: differs from the definition or wrote "
                              "outside the tile",
                              KERNELS[kernel].name, KERNELS[kernel].tile, k, m, n, accumulate);
#ifdef __wasm_simd128__
                        float simd[C_SIZE];
                        memcpy(simd, start, sizeof simd);
                        KERNELS[kernel].call(1, k, m, n, accumulate, simd);
                        CHECK(memcmp(scalar, simd, sizeof scalar) == 0,
                              "%s %s: wasmsimd differs from scalar, k %d, m %d, n %d, accumulate %d",
                              KERNELS[kernel].name, KERNELS[kernel].tile, k, m, n, accumulate);
#endif
                    }
        }
    for (int i = 0; i < 4; i++) free(inputs[i]), inputs[i] = NULL;
}

void test_microkernels(void) { every_tail(); }
