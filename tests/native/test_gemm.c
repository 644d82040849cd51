/* test_gemm.c — the packed GEMM driver (cnn_gemm, src/gemm.c) against a
   naive triple loop in double, for every transpose (given as strides), sizes
   around the 4×8 tile and the GEMM_MC = 64, GEMM_KC = 256, GEMM_NC = 2048
   blocks, accumulate on and off. C has a leading dimension wider than n and
   the gap must stay untouched; A and B have padded leading dimensions and
   exactly sized buffers, so ASan sees any read past them. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include "harness.h"
#include "internal.h"

enum { C_GAP = 3 };

/* A [rows × cols] operand stored row-major with one padding column, or
   transposed (column-major) with one padding row; returns its strides. */
typedef struct {
    float *data;
    int row_stride, col_stride;
} operand;

static operand make_operand(int rows, int cols, int transposed) {
    operand o;
    o.row_stride = transposed ? 1 : cols + 1;
    o.col_stride = transposed ? rows + 1 : 1;
    const int count = (rows - 1) * o.row_stride + (cols - 1) * o.col_stride + 1;
    o.data = random_floats(count);
    return o;
}

static double at(const operand *o, int row, int col) {
    return o->data[(long)row * o->row_stride + (long)col * o->col_stride];
}

/* Returns 1 when C matches. The rounding bound of a sum of k + 1 float terms
   is (k + 1)·u·Σ|term| with u = 2⁻²⁴; FLT_EPSILON = 2u doubles it. */
static int check_gemm(int m, int n, int k, int transpose_a, int transpose_b, int accumulate) {
    const operand a = make_operand(m, k, transpose_a), b = make_operand(k, n, transpose_b);
    const int ldc = n + C_GAP;
    float *c = accumulate ? random_floats(m * ldc) : filled_floats(m * ldc, NAN);
    float *initial = filled_floats(m * ldc, 0.0f);
    for (int i = 0; i < m * ldc; i++) initial[i] = c[i];
    for (int i = 0; i < m; i++)
        for (int j = n; j < ldc; j++) c[i * ldc + j] = SENTINEL;
    int ok = cnn_gemm("gemm test", c, ldc, a.data, a.row_stride, a.col_stride, b.data, b.row_stride, b.col_stride, m, n,
                      k, accumulate) == CNN_OK;
    for (int i = 0; i < m && ok; i++) {
        for (int j = 0; j < n && ok; j++) {
            double want = accumulate ? initial[i * ldc + j] : 0.0, magnitude = fabs(want);
            for (int p = 0; p < k; p++) {
                want += at(&a, i, p) * at(&b, p, j);
                magnitude += fabs(at(&a, i, p) * at(&b, p, j));
            }
            ok = close_enough(c[i * ldc + j], want, (k + 1) * FLT_EPSILON * magnitude + 1e-30, 0.0);
        }
        for (int j = n; j < ldc; j++) ok &= c[i * ldc + j] == SENTINEL;
    }
    free(a.data), free(b.data), free(c), free(initial);
    return ok;
}

static void check_all_layouts(int m, int n, int k) {
    for (int layout = 0; layout < 8; layout++) {
        const int transpose_a = layout & 1, transpose_b = layout >> 1 & 1, accumulate = layout >> 2;
        CHECK(check_gemm(m, n, k, transpose_a, transpose_b, accumulate),
              "cnn_gemm m=%d n=%d k=%d, A%s B%s, accumulate %d: differs from the triple loop "
              "(or wrote past n)",
              m, n, k, transpose_a ? "ᵀ" : "", transpose_b ? "ᵀ" : "", accumulate);
    }
}

/* k = 0: C = 0 without accumulate, C unchanged with it; m or n = 0 writes nothing. */
static void empty_products(void) {
    float c[6] = {1, 2, 3, 4, 5, 6}, a[1] = {7}, b[1] = {8};
    CHECK(cnn_gemm("gemm test", c, 3, a, 1, 1, b, 1, 1, 2, 3, 0, 1) == CNN_OK && c[0] == 1 && c[5] == 6,
          "k = 0 with accumulate must leave C alone");
    CHECK(cnn_gemm("gemm test", c, 3, a, 1, 1, b, 1, 1, 0, 3, 1, 0) == CNN_OK && c[0] == 1, "m = 0 must write nothing");
    CHECK(cnn_gemm("gemm test", c, 3, a, 1, 1, b, 1, 1, 2, 0, 1, 0) == CNN_OK && c[0] == 1, "n = 0 must write nothing");
    CHECK(cnn_gemm("gemm test", c, 3, a, 1, 1, b, 1, 1, 2, 3, 0, 0) == CNN_OK && all_equal(c, 6, 0.0f),
          "k = 0 without accumulate must zero C");
}

void test_gemm(void) {
    /* Every (m, n, k) from these sizes with at most one of them large. */
    static const int SIZES[] = {1, 3, 4, 5, 7, 8, 9, 17, 65, 257, 300};
    enum { SIZE_COUNT = sizeof SIZES / sizeof SIZES[0], LARGE = 65 };
    for (int im = 0; im < SIZE_COUNT; im++)
        for (int in = 0; in < SIZE_COUNT; in++)
            for (int ik = 0; ik < SIZE_COUNT; ik++) {
                const int m = SIZES[im], n = SIZES[in], k = SIZES[ik];
                if ((m >= LARGE) + (n >= LARGE) + (k >= LARGE) <= 1) check_all_layouts(m, n, k);
            }
    /* Several blocks at once: m > GEMM_MC with k > GEMM_KC, and n > GEMM_NC. */
    check_all_layouts(65, 257, 300);
    check_all_layouts(300, 65, 257);
    check_all_layouts(5, 2049, 3);
    check_all_layouts(7, 2100, 260);
    empty_products();
}
