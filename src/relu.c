/* relu.c — y = max(x, 0); dy/dx = 1 where x > 0, else 0 (NaN passes through, as in PyTorch).
   https://pytorch.org/docs/stable/generated/torch.nn.ReLU.html */
#include "internal.h"

cnn_status cnn_relu_forward(float *out, const float *in, int32_t count) {
    if (count < 0) return cnn_fail(CNN_INVALID_ARGUMENT, "relu", "count must be at least 0, got %d", count);
    for (int32_t i = 0; i < count; i++) out[i] = in[i] > 0.0f || in[i] != in[i] ? in[i] : 0.0f;
    return CNN_OK;
}

cnn_status cnn_relu_backward(float *grad_in, const float *grad_out, const float *in, int32_t count) {
    if (count < 0) return cnn_fail(CNN_INVALID_ARGUMENT, "relu backward", "count must be at least 0, got %d", count);
    /* Both loads unconditional and the choice a select, so the compiler vectorises it. */
    for (int32_t i = 0; i < count; i++) {
        const float upstream = grad_out[i];
        grad_in[i] += in[i] > 0.0f ? upstream : 0.0f;
    }
    return CNN_OK;
}
