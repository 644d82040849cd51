/* augment.c — network inputs from pixel bytes, and random shifts for augmentation.
   https://pytorch.org/vision/stable/generated/torchvision.transforms.Normalize.html
   https://pytorch.org/vision/stable/generated/torchvision.transforms.RandomAffine.html
   (translate by whole pixels, zero fill: the shift below)

   Shapes: in, out [N, C, H, W]; shifts [N, 2] = (dy, dx) per image. */
#include <math.h>
#include <stdlib.h>
#include "cnn_train.h"
#include "internal.h"

/* out = (pixels / 255 − mean) / std, as ToTensor() then Normalize(): two roundings, as there */
cnn_status cnn_normalize_pixels(float *out, const float *pixels, int32_t count, float mean, float std) {
    const char *op = "normalize_pixels";
    if (count < 0) return cnn_fail(CNN_INVALID_ARGUMENT, op, "count must be at least 0, got %d", count);
    if (!(std > 0.0f) || !isfinite(std)) return cnn_fail(CNN_INVALID_ARGUMENT, op, "std must be positive, got %g", std);
    for (int32_t i = 0; i < count; i++) out[i] = (pixels[i] / 255.0f - mean) / std;
    return CNN_OK;
}

/* (dy, dx) = (⌊u·(2s + 1)⌋ − s, ⌊u′·(2s + 1)⌋ − s) with u, u′ from cnn_random_uniform(seed);
   out[n, c, h, w] = in[n, c, h − dy, w − dx] when that is inside the image, else fill */
cnn_status cnn_random_shift(float *out, int32_t *shifts, const float *in, float fill, int32_t max_shift, uint32_t seed,
                            int32_t batch, int32_t channels, int32_t height, int32_t width) {
    const char *op = "random_shift";
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) || (s = cnn_check_positive(op, "channels", channels)) ||
        (s = cnn_check_positive(op, "height", height)) || (s = cnn_check_positive(op, "width", width)) ||
        (s = cnn_check_elements(op, "input", batch, channels, height, width)))
        return s;
    if (max_shift < 0) return cnn_fail(CNN_INVALID_ARGUMENT, op, "max_shift must be at least 0, got %d", max_shift);
    if (out + (long)batch * channels * height * width > in && in + (long)batch * channels * height * width > out)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "out and in must not overlap");
    float *uniforms = cnn_alloc_floats(op, 2LL * batch);
    if (!uniforms) return CNN_OUT_OF_MEMORY;
    cnn_random_uniform(uniforms, 2 * batch, 0.0f, 1.0f, seed);
    /* in 64-bit: 2s + 1 passes int32 from s = 2^30, and so does h − dy; u < 1 keeps |dy| ≤ s */
    const long long choices = 2LL * max_shift + 1;
    const long plane = (long)height * width;
    for (int32_t n = 0; n < batch; n++) {
        const long long dy = (long long)((double)uniforms[2 * n] * (double)choices) - max_shift;
        const long long dx = (long long)((double)uniforms[2 * n + 1] * (double)choices) - max_shift;
        if (shifts) shifts[2 * n] = (int32_t)dy, shifts[2 * n + 1] = (int32_t)dx;
        for (int32_t c = 0; c < channels; c++) {
            const float *source = in + ((long)n * channels + c) * plane;
            float *target = out + ((long)n * channels + c) * plane;
            for (int32_t h = 0; h < height; h++)
                for (int32_t w = 0; w < width; w++) {
                    const long long from_h = h - dy, from_w = w - dx;
                    const int inside = from_h >= 0 && from_h < height && from_w >= 0 && from_w < width;
                    target[(long)h * width + w] = inside ? source[(long)from_h * width + from_w] : fill;
                }
        }
    }
    free(uniforms);
    return CNN_OK;
}
