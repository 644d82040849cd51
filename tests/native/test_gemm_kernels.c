/* test_gemm_kernels.c — the checkers of the GEMM-family microkernels (microkernel_tests.h):
   every tail of the MR × NR tile (m ≤ MR rows, n ≤ NR columns), several depths k, accumulate
   on and off. The twin against the definition in double, the kernel against the twin bit for
   bit (both sum in the same order, kernels/gemm.h). Outputs sit between sentinel gaps, which
   must stay untouched; inputs are exactly sized. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "microkernel_tests.h"

enum { MR = CNN_GEMM_MR, NR = CNN_GEMM_NR, LDC = NR + 3, C_SIZE = NR * LDC + 5 }; /* room for either layout */
static const int DEPTHS[] = {1, 2, 3, 5, 8, 17};

/* One call of the twin (which = 0) or the kernel (1) on the inputs, into c. */
typedef void family_call(int which, int k, int m, int n, int accumulate, float *c);
/* c[i·LDC + j] for i < m, j < n after a call with c starting at `start`, from the definition. */
typedef double definition(int k, int i, int j, float start);

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

/* What a family's checker varies: n tails or always NR; accumulate on and off or always on;
   c as [i][j] or transposed, out[j·LDC + i]. */
typedef struct {
    family_call *call;
    definition *define;
    int column_tails, always_accumulates, transposed;
} family;

/* Every depth and tail of the entry's tile; returns the (m, n) tails taken. */
static long every_tail(const microkernel_entry *e, family f) {
    CHECK(e->tile_rows == MR && e->tile_cols == NR, "%s: tile %d×%d, the tests know %d×%d", e->role, e->tile_rows,
          e->tile_cols, MR, NR);
    long tails = 0;
    for (size_t d = 0; d < sizeof DEPTHS / sizeof DEPTHS[0]; d++) {
        const int k = DEPTHS[d];
        make_inputs(k);
        for (int m = 1; m <= MR; m++)
            for (int n = f.column_tails ? 1 : NR; n <= NR; n++, tails += d == 0)
                for (int accumulate = f.always_accumulates; accumulate <= 1; accumulate++) {
                    /* want: the tile's cells start at 0.5 (seen when accumulating), the valid ones
                       get the definition, everything else (gaps, the tail) keeps its start */
                    float start[C_SIZE], twin[C_SIZE], kernel[C_SIZE];
                    double want[C_SIZE];
                    for (int i = 0; i < C_SIZE; i++) want[i] = SENTINEL;
                    for (int i = 0; i < MR; i++)
                        for (int j = 0; j < NR; j++) {
                            const int at = f.transposed ? j * LDC + i : i * LDC + j;
                            want[at] = i < m && j < n ? f.define(k, i, j, accumulate ? 0.5f : 0.0f) : 0.5;
                            start[at] = 0.5f;
                        }
                    for (int i = 0; i < C_SIZE; i++)
                        if (want[i] == SENTINEL) start[i] = SENTINEL;
                    memcpy(twin, start, sizeof twin);
                    f.call(0, k, m, n, accumulate, twin);
                    int same = 1;
                    for (int i = 0; i < C_SIZE; i++) same &= close_enough(twin[i], want[i], 1e-5, 1e-5);
                    CHECK(same,
                          "%s twin %s, k %d, m %d, n %d, accumulate %d: differs from the definition or wrote "
                          "outside the tile",
                          e->role, e->twin, k, m, n, accumulate);
                    memcpy(kernel, start, sizeof kernel);
                    f.call(1, k, m, n, accumulate, kernel);
                    CHECK(memcmp(twin, kernel, sizeof twin) == 0,
                          "%s: %s differs from %s, k %d, m %d, n %d, accumulate %d", e->role, e->kernel, e->twin, k, m,
                          n, accumulate);
                }
    }
    for (int i = 0; i < 4; i++) free(inputs[i]), inputs[i] = NULL;
    return tails;
}

static cnn_gemm_kernel *gemm_twins[2];
static void gemm(int which, int k, int m, int n, int accumulate, float *c) {
    gemm_twins[which](k, inputs[0], inputs[1], c, LDC, m, n, accumulate);
}
static double gemm_definition(int k, int i, int j, float start) {
    double sum = start;
    for (int p = 0; p < k; p++) sum += (double)inputs[0][p * MR + i] * inputs[1][p * NR + j];
    return sum;
}
long check_gemm(cnn_gemm_kernel *kernel, cnn_gemm_kernel *twin, const microkernel_entry *e) {
    gemm_twins[0] = twin, gemm_twins[1] = kernel;
    return every_tail(e, (family){gemm, gemm_definition, 1, 0, 0});
}

static cnn_igemm_kernel *igemm_twins[2];
static void igemm(int which, int k, int m, int n, int accumulate, float *c) {
    igemm_twins[which](k, inputs[0], inputs[3], offsets, inputs[2], c, LDC, m, n, accumulate);
}
static double igemm_definition(int k, int i, int j, float start) {
    double sum = start + (double)inputs[2][i];
    for (int p = 0; p < k; p++) sum += (double)inputs[0][p * MR + i] * inputs[3][offsets[p] + j];
    return sum;
}
long check_igemm(cnn_igemm_kernel *kernel, cnn_igemm_kernel *twin, const microkernel_entry *e) {
    igemm_twins[0] = twin, igemm_twins[1] = kernel;
    return every_tail(e, (family){igemm, igemm_definition, 1, 0, 0});
}

/* pixels: out[j·LDC + i] for pixel i < m, channel j < n — stored transposed in c (ldc = LDC). */
static cnn_igemm_pixels_kernel *igemm_pixels_twins[2];
static void igemm_pixels(int which, int k, int m, int n, int accumulate, float *c) {
    igemm_pixels_twins[which](k, pixels, offsets, inputs[1], inputs[2], c, LDC, m, n, accumulate);
}
static double igemm_pixels_definition(int k, int i, int j, float start) {
    double sum = start + (double)inputs[2][j];
    for (int p = 0; p < k; p++) sum += (double)pixels[i][offsets[p]] * inputs[1][p * NR + j];
    return sum;
}
long check_igemm_pixels(cnn_igemm_pixels_kernel *kernel, cnn_igemm_pixels_kernel *twin, const microkernel_entry *e) {
    igemm_pixels_twins[0] = twin, igemm_pixels_twins[1] = kernel;
    return every_tail(e, (family){igemm_pixels, igemm_pixels_definition, 1, 0, 1});
}

/* wgrad: k output pixels as 1 row of k columns; c[i·LDC + j] += Σ_ow image[offsets[i] + ow] · b[ow·NR + j],
   every NR column stored (n = NR), rows i < m; always accumulates. */
static cnn_wgrad_kernel *wgrad_twins[2];
static void wgrad(int which, int k, int m, int n, int accumulate, float *c) {
    (void)n, (void)accumulate;
    wgrad_twins[which](1, k, inputs[3], offsets, 0, inputs[1], c, LDC, m);
}
static double wgrad_definition(int k, int i, int j, float start) {
    double sum = 0;
    for (int ow = 0; ow < k; ow++) sum += (double)inputs[3][offsets[i] + ow] * inputs[1][ow * NR + j];
    return start + (float)sum;
}
long check_wgrad(cnn_wgrad_kernel *kernel, cnn_wgrad_kernel *twin, const microkernel_entry *e) {
    wgrad_twins[0] = twin, wgrad_twins[1] = kernel;
    return every_tail(e, (family){wgrad, wgrad_definition, 0, 1, 0});
}
