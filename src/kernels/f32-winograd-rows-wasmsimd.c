/* f32-winograd-rows-wasmsimd.c — Winograd F(2, 5) along rows in SIMD128 (see winograd_rows.h):
   four adjacent tiles at once, one per lane. A row with fewer than four tiles (or, for the
   output, whole tiles) takes the scalar tiles; otherwise the last group of four ends at the
   last tile, overlapping the one before (both write the same values). Same operations in
   the same order as the scalar twin. */
#include <wasm_simd128.h>
#include "winograd_rows.h"

/* Tiles t … t + 3 start at columns 2t, 2t + 2, 2t + 4, 2t + 6: d_k is the even (k even) or
   odd lanes of row[2t + k …], from three loads of row[2t … 2t + 11]: d0, d1 from the first
   two, d4, d5 from the last two, d2, d3 one lane on from d0, d1. */
static void input_4x(float *v, long stride, const float *row, int t) {
    const float *p = row + 2 * t;
    const v128_t vx0 = wasm_v128_load(p), vx1 = wasm_v128_load(p + 4), vx2 = wasm_v128_load(p + 8);
    const v128_t vd0 = wasm_i32x4_shuffle(vx0, vx1, 0, 2, 4, 6), vd1 = wasm_i32x4_shuffle(vx0, vx1, 1, 3, 5, 7);
    const v128_t vd4 = wasm_i32x4_shuffle(vx1, vx2, 0, 2, 4, 6), vd5 = wasm_i32x4_shuffle(vx1, vx2, 1, 3, 5, 7);
    const v128_t vd2 = wasm_i32x4_shuffle(vd0, vd4, 1, 2, 3, 6), vd3 = wasm_i32x4_shuffle(vd1, vd5, 1, 2, 3, 6);
    const v128_t vfour = wasm_f32x4_splat(4.0f), vtwo = wasm_f32x4_splat(2.0f);
    const v128_t vd4_d2 = wasm_f32x4_sub(vd4, vd2), vd1_d3 = wasm_f32x4_sub(vd1, vd3);
    wasm_v128_store(v + t, wasm_f32x4_add(wasm_f32x4_mul(vfour, wasm_f32x4_sub(vd0, vd2)), vd4_d2));
    wasm_v128_store(v + stride + t, wasm_f32x4_sub(wasm_f32x4_add(vd3, vd4),
                                                   wasm_f32x4_mul(vfour, wasm_f32x4_add(vd1, vd2))));
    wasm_v128_store(v + 2 * stride + t, wasm_f32x4_add(wasm_f32x4_mul(vfour, wasm_f32x4_sub(vd1, vd2)),
                                                       wasm_f32x4_sub(vd4, vd3)));
    wasm_v128_store(v + 3 * stride + t, wasm_f32x4_add(wasm_f32x4_mul(vtwo, wasm_f32x4_sub(vd3, vd1)), vd4_d2));
    wasm_v128_store(v + 4 * stride + t, wasm_f32x4_add(wasm_f32x4_mul(vtwo, vd1_d3), vd4_d2));
    wasm_v128_store(v + 5 * stride + t, wasm_f32x4_add(wasm_f32x4_mul(vfour, vd1_d3), wasm_f32x4_sub(vd5, vd3)));
}

void cnn_f32_winograd_rows_input__wasmsimd(float *v, long stride, const float *row, int tiles) {
    if (tiles < 4) {
        cnn_f32_winograd_rows_input__scalar(v, stride, row, tiles);
        return;
    }
    for (int t = 0; t < tiles; t += 4) input_4x(v, stride, row, t + 4 <= tiles ? t : tiles - 4);
}

/* Tiles t … t + 3, all whole: the even columns and the odd ones, interleaved into two stores. */
static void output_4x(float *row, const float *m, long stride, int t, v128_t vbias) {
    const v128_t vm0 = wasm_v128_load(m + t), vm1 = wasm_v128_load(m + stride + t);
    const v128_t vm2 = wasm_v128_load(m + 2 * stride + t), vm3 = wasm_v128_load(m + 3 * stride + t);
    const v128_t vm4 = wasm_v128_load(m + 4 * stride + t), vm5 = wasm_v128_load(m + 5 * stride + t);
    const v128_t veven = wasm_f32x4_add(
        wasm_f32x4_add(wasm_f32x4_add(vm0, wasm_f32x4_add(vm1, vm2)), wasm_f32x4_add(vm3, vm4)), vbias);
    const v128_t vtwice_m3_m4 = wasm_f32x4_mul(wasm_f32x4_splat(2.0f), wasm_f32x4_sub(vm3, vm4));
    const v128_t vodd =
        wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_sub(vm1, vm2), vtwice_m3_m4), vm5), vbias);
    wasm_v128_store(row + 2 * t, wasm_i32x4_shuffle(veven, vodd, 0, 4, 1, 5));
    wasm_v128_store(row + 2 * t + 4, wasm_i32x4_shuffle(veven, vodd, 2, 6, 3, 7));
}

void cnn_f32_winograd_rows_output__wasmsimd(float *row, const float *m, long stride, int out_w, float bias) {
    const int whole = out_w / 2;
    int t = 0;
    if (whole >= 4) {
        const v128_t vbias = wasm_f32x4_splat(bias);
        for (; t < whole; t += 4) output_4x(row, m, stride, t + 4 <= whole ? t : whole - 4, vbias);
        t = whole;
    }
    for (; t < (out_w + 1) / 2; t++) cnn_winograd_rows_output_tile(row, m, stride, t, out_w, bias);
}
