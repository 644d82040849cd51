/* cross_entropy.c — log-softmax + negative log-likelihood, mean over the batch.
   https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html

   Shapes: logits, probs [N, K], targets [N].
     p[n] = softmax(logits[n]) = exp(logits[n] − max) / Σ exp(logits[n] − max)
     loss = −(1/N) Σ_n log p[n, target[n]]
     grad_logits[n] += grad_loss · (p[n] − onehot(target[n])) / N */
#include <math.h>
#include "internal.h"

static cnn_status check(const char *op, const int32_t *targets, int batch, int classes) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) || (s = cnn_check_positive(op, "classes", classes)) ||
        (s = cnn_check_elements(op, "input", batch, classes, 1, 1)))
        return s;
    for (int n = 0; n < batch; n++)
        if (targets[n] < 0 || targets[n] >= classes)
            return cnn_fail(CNN_INVALID_ARGUMENT, op, "target[%d] = %d must be a class index in [0, %d)", n, targets[n],
                            classes);
    return CNN_OK;
}

/* One row: probs = softmax(row); returns log Σ exp(row − max) and the max. */
static double softmax_row(float *probs, const float *row, int classes, float *max_out) {
    float max = row[0];
    for (int k = 1; k < classes; k++) max = row[k] > max ? row[k] : max;
    double sum = 0.0;
    for (int k = 0; k < classes; k++) sum += exp((double)row[k] - max);
    const double log_sum = log(sum);
    for (int k = 0; k < classes; k++) probs[k] = (float)exp((double)row[k] - max - log_sum);
    *max_out = max;
    return log_sum;
}

cnn_status cnn_softmax_forward(float *probs, const float *logits, int32_t batch, int32_t classes) {
    const char *op = "softmax";
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) || (s = cnn_check_positive(op, "classes", classes)) ||
        (s = cnn_check_elements(op, "input", batch, classes, 1, 1)))
        return s;
    float max;
    for (int n = 0; n < batch; n++) softmax_row(probs + (long)n * classes, logits + (long)n * classes, classes, &max);
    return CNN_OK;
}

cnn_status cnn_cross_entropy_forward(float *loss, float *probs, const float *logits, const int32_t *targets,
                                     int32_t batch, int32_t classes) {
    cnn_status s = check("cross_entropy", targets, batch, classes);
    if (s) return s;
    double total = 0.0;
    for (int n = 0; n < batch; n++) {
        const float *row = logits + (long)n * classes;
        float max;
        const double log_sum = softmax_row(probs + (long)n * classes, row, classes, &max);
        total += -((double)row[targets[n]] - max - log_sum);
    }
    *loss = (float)(total / batch);
    return CNN_OK;
}

cnn_status cnn_cross_entropy_backward(float *grad_logits, float grad_loss, const float *probs, const int32_t *targets,
                                      int32_t batch, int32_t classes) {
    cnn_status s = check("cross_entropy backward", targets, batch, classes);
    if (s) return s;
    const float scale = grad_loss / (float)batch;
    for (int n = 0; n < batch; n++)
        for (int k = 0; k < classes; k++)
            grad_logits[(long)n * classes + k] +=
                scale * (probs[(long)n * classes + k] - (k == targets[n] ? 1.0f : 0.0f));
    return CNN_OK;
}
