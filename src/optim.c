/* optim.c — parameter updates of torch.optim.SGD and torch.optim.Adam, one buffer at a time.
   https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
   https://pytorch.org/docs/stable/generated/torch.optim.Adam.html

   Shapes: param, grad and every state buffer hold count floats (any shape, flattened).
   The formulas, and the order of the float32 operations, are those of PyTorch 1.13's
   single-tensor path (torch/optim/sgd.py, adam.py); each hyper-parameter becomes a
   float32 scalar where PyTorch passes it to a tensor op, and the bias corrections of
   Adam are computed in double, as Python computes them. */
#include <math.h>
#include "cnn_train.h"
#include "internal.h"

static cnn_status check_non_negative(const char *op, const char *name, double value) {
    if (!(value >= 0.0)) return cnn_fail(CNN_INVALID_ARGUMENT, op, "%s must be at least 0, got %g", name, value);
    return CNN_OK;
}

static cnn_status check_sizes(const char *op, int32_t step, int32_t count) {
    if (count < 0) return cnn_fail(CNN_INVALID_ARGUMENT, op, "count must be at least 0, got %d", count);
    return cnn_check_positive(op, "step (1 on the first update)", step);
}

/* d = grad + weight_decay·param
   momentum > 0: buf = d (step 1) or momentum·buf + (1 − dampening)·d;
                 d = nesterov ? d + momentum·buf : buf
   param −= lr·d */
cnn_status cnn_sgd_step(float *param, float *momentum_buffer, const float *grad, double lr, double momentum,
                        double dampening, double weight_decay, int32_t nesterov, int32_t step, int32_t count) {
    const char *op = "sgd";
    cnn_status s;
    if ((s = check_sizes(op, step, count)) || (s = check_non_negative(op, "lr", lr)) ||
        (s = check_non_negative(op, "momentum", momentum)) ||
        (s = check_non_negative(op, "weight_decay", weight_decay)))
        return s;
    if (nesterov && (momentum <= 0.0 || dampening != 0.0))
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "nesterov needs momentum > 0 and dampening = 0, got momentum %g, dampening %g", momentum,
                        dampening);
    if (momentum > 0.0 && count > 0 && !momentum_buffer)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "momentum %g needs a momentum_buffer", momentum);
    const float decay = (float)weight_decay, mu = (float)momentum, keep = (float)(1.0 - dampening);
    const float neg_lr = (float)-lr;
    for (int32_t i = 0; i < count; i++) {
        float d = weight_decay != 0.0 ? grad[i] + decay * param[i] : grad[i];
        if (momentum != 0.0) {
            const float buf = momentum_buffer[i] = step == 1 ? d : momentum_buffer[i] * mu + keep * d;
            d = nesterov ? d + mu * buf : buf;
        }
        param[i] += neg_lr * d;
    }
    return CNN_OK;
}

/* d = grad + weight_decay·param;  m = β1·m + (1 − β1)·d;  v = β2·v + (1 − β2)·d·d
   amsgrad: v_max = max(v_max, v), then v_max in place of v
   param += −(lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + eps) */
cnn_status cnn_adam_step(float *param, float *exp_avg, float *exp_avg_sq, float *max_exp_avg_sq, const float *grad,
                         double lr, double beta1, double beta2, double eps, double weight_decay, int32_t step,
                         int32_t count) {
    const char *op = "adam";
    cnn_status s;
    if ((s = check_sizes(op, step, count)) || (s = check_non_negative(op, "lr", lr)) ||
        (s = check_non_negative(op, "eps", eps)) || (s = check_non_negative(op, "weight_decay", weight_decay)))
        return s;
    if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0))
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "betas must be in [0, 1), got (%g, %g)", beta1, beta2);
    const double bias_correction1 = 1.0 - pow(beta1, step), bias_correction2 = 1.0 - pow(beta2, step);
    const float neg_step_size = (float)-(lr / bias_correction1);
    const float bias_correction2_sqrt = (float)sqrt(bias_correction2);
    const float decay = (float)weight_decay, b1 = (float)beta1, b2 = (float)beta2;
    const float one_minus_b1 = (float)(1.0 - beta1), one_minus_b2 = (float)(1.0 - beta2), epsilon = (float)eps;
    for (int32_t i = 0; i < count; i++) {
        const float d = weight_decay != 0.0 ? grad[i] + decay * param[i] : grad[i];
        exp_avg[i] = exp_avg[i] * b1 + one_minus_b1 * d;
        exp_avg_sq[i] = exp_avg_sq[i] * b2 + one_minus_b2 * d * d;
        float second = exp_avg_sq[i];
        if (max_exp_avg_sq) second = max_exp_avg_sq[i] = fmaxf(max_exp_avg_sq[i], second);
        const float denom = sqrtf(second) / bias_correction2_sqrt + epsilon;
        param[i] += neg_step_size * exp_avg[i] / denom;
    }
    return CNN_OK;
}
