/* plane_sum.c — sums over one plane of a tensor, in float: eight lanes (two f32x4, see
   vec4.h), then the tail. Callers add planes together in double, so a sum over a whole
   batch keeps double's accuracy across planes without double's slow, serial adds.
   The same lanes tell whether every value is finite. */
#include "internal.h"
#include "vec4.h"

/* Σ x over one plane, in float: eight lanes, then the tail. */
float cnn_plane_sum(const float *x, long plane) {
    cnn_f32x4 vsum0 = cnn_splat4(0.0f), vsum1 = vsum0;
    long i = 0;
    for (; i + 8 <= plane; i += 8) vsum0 += cnn_load4(x + i), vsum1 += cnn_load4(x + i + 4);
    float sum = cnn_lane_sum4(vsum0 + vsum1);
    for (; i < plane; i++) sum += x[i];
    return sum;
}

/* Σ (x − x_shift)·(y − y_shift) over one plane, in float, as plane_sum. */
float cnn_plane_sum_products(const float *x, float x_shift, const float *y, float y_shift, long plane) {
    const cnn_f32x4 vx_shift = cnn_splat4(x_shift), vy_shift = cnn_splat4(y_shift);
    cnn_f32x4 vsum0 = cnn_splat4(0.0f), vsum1 = vsum0;
    long i = 0;
    for (; i + 8 <= plane; i += 8) {
        vsum0 += (cnn_load4(x + i) - vx_shift) * (cnn_load4(y + i) - vy_shift);
        vsum1 += (cnn_load4(x + i + 4) - vx_shift) * (cnn_load4(y + i + 4) - vy_shift);
    }
    float sum = cnn_lane_sum4(vsum0 + vsum1);
    for (; i < plane; i++) sum += (x[i] - x_shift) * (y[i] - y_shift);
    return sum;
}

/* Σ (x − x) is 0 when every x is finite and NaN as soon as one is NaN or ±∞. */
int cnn_all_finite(const float *x, long count) {
    cnn_f32x4 vsum0 = cnn_splat4(0.0f), vsum1 = vsum0;
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        const cnn_f32x4 v0 = cnn_load4(x + i), v1 = cnn_load4(x + i + 4);
        vsum0 += v0 - v0, vsum1 += v1 - v1;
    }
    float sum = cnn_lane_sum4(vsum0 + vsum1);
    for (; i < count; i++) sum += x[i] - x[i];
    return sum == 0.0f;
}
