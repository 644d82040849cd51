/* vec4.h — four floats as one value (the GCC/Clang vector extension): one f32x4 in the
   SIMD build, four scalar lanes in the scalar build and natively, with the same
   lane-by-lane results everywhere. For ops whose loops are SIMD-shaped but too simple to
   need a kernel pair. Loads and stores are unaligned. */
#ifndef CNN_VEC4_H
#define CNN_VEC4_H

#include <string.h>

typedef float cnn_f32x4 __attribute__((vector_size(16)));

static inline cnn_f32x4 cnn_load4(const float *p) {
    cnn_f32x4 v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void cnn_store4(float *p, cnn_f32x4 v) { memcpy(p, &v, sizeof v); }
static inline cnn_f32x4 cnn_splat4(float x) { return (cnn_f32x4){x, x, x, x}; }
static inline float cnn_lane_sum4(cnn_f32x4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

#endif
