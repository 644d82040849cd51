/* random.c — seeded random fills, so initialisation is reproducible bit for bit.
   xorshift32 (Marsaglia 2003) for uniform bits; Box–Muller for normal values. */
#include <math.h>
#include "internal.h"

static uint32_t next_bits(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* uniform in [0, 1) with 24 random bits */
static float next_unit(uint32_t *state) { return (float)(next_bits(state) >> 8) * (1.0f / 16777216.0f); }

static uint32_t initial_state(uint32_t seed) { return seed ? seed * 2654435761u | 1u : 0x9e3779b9u; }

cnn_status cnn_random_uniform(float *out, int32_t count, float low, float high, uint32_t seed) {
    if (count < 0) return cnn_fail(CNN_INVALID_ARGUMENT, "random_uniform", "count must be at least 0, got %d", count);
    if (!(low <= high))
        return cnn_fail(CNN_INVALID_ARGUMENT, "random_uniform", "low = %g must not exceed high = %g", low, high);
    uint32_t state = initial_state(seed);
    for (int32_t i = 0; i < count; i++) out[i] = low + (high - low) * next_unit(&state);
    return CNN_OK;
}

/* Box–Muller: z = sqrt(−2 ln u1) · cos(2π u2), u1 in (0, 1] */
cnn_status cnn_random_normal(float *out, int32_t count, float mean, float std, uint32_t seed) {
    if (count < 0) return cnn_fail(CNN_INVALID_ARGUMENT, "random_normal", "count must be at least 0, got %d", count);
    if (!(std >= 0.0f)) return cnn_fail(CNN_INVALID_ARGUMENT, "random_normal", "std must be at least 0, got %g", std);
    uint32_t state = initial_state(seed);
    for (int32_t i = 0; i < count; i++) {
        const double u1 = 1.0 - next_unit(&state), u2 = next_unit(&state);
        out[i] = mean + std * (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
    }
    return CNN_OK;
}

/* PyTorch's default for Conv2d and Linear (kaiming_uniform_ with a = √5):
   weight and bias ~ U(−1/√fan_in, 1/√fan_in), fan_in = in_channels/groups · KH · KW
   (in_features for Linear). The bias uses the next seed, so the two differ. */
cnn_status cnn_init_default(float *weight, float *bias, int32_t weight_count, int32_t bias_count, int32_t fan_in,
                            uint32_t seed) {
    cnn_status s = cnn_check_positive("init_default", "fan_in", fan_in);
    if (s) return s;
    const float bound = 1.0f / sqrtf((float)fan_in);
    if ((s = cnn_random_uniform(weight, weight_count, -bound, bound, seed))) return s;
    return bias ? cnn_random_uniform(bias, bias_count, -bound, bound, seed + 1) : CNN_OK;
}
