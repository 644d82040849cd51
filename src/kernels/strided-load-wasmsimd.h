/* strided-load-wasmsimd.h — four floats p[0], p[s], p[2s], p[3s] in one f32x4.
   Reads nothing past p[3s]: stride 2 uses two overlapping loads of p[0..3]
   and p[3..6] and keeps lanes 0, 2 of the first and 1, 3 of the second. */
#ifndef CNN_STRIDED_LOAD_WASMSIMD_H
#define CNN_STRIDED_LOAD_WASMSIMD_H
#include <wasm_simd128.h>

static inline v128_t cnn_load_strided_f32x4(const float *p, int stride) {
    if (stride == 1) return wasm_v128_load(p);
    if (stride == 2) return wasm_i32x4_shuffle(wasm_v128_load(p), wasm_v128_load(p + 3), 0, 2, 5, 7);
    return wasm_f32x4_make(p[0], p[stride], p[2 * stride], p[3 * stride]);
}

#endif
