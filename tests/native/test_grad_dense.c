/* test_grad_dense.c — batch norm, linear, cross entropy and ReLU gradients
   against finite differences, and batch norm's running statistics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gradcheck.h"

typedef struct {
    int training, batch, channels, height, width;
    float momentum, eps;
    const float *running_mean, *running_var; /* the values before the step */
} batch_norm_case;

/* Forward updates the running statistics, so each call starts from copies. */
static cnn_status batch_norm_run(const gradcheck_op *op, float *out, float *save_mean, float *save_invstd) {
    const batch_norm_case *c = op->context;
    float *running_mean = zero_floats(c->channels), *running_var = zero_floats(c->channels);
    memcpy(running_mean, c->running_mean, sizeof(float) * c->channels);
    memcpy(running_var, c->running_var, sizeof(float) * c->channels);
    const cnn_status status = cnn_batch_norm2d_forward(
        out, save_mean, save_invstd, running_mean, running_var, op->tensors[0].values, op->tensors[1].values,
        op->tensors[2].values, c->training, c->momentum, c->eps, c->batch, c->channels, c->height, c->width);
    free(running_mean);
    free(running_var);
    return status;
}
static cnn_status batch_norm_forward(const gradcheck_op *op, float *out) {
    const batch_norm_case *c = op->context;
    float *save_mean = zero_floats(c->channels), *save_invstd = zero_floats(c->channels);
    const cnn_status status = batch_norm_run(op, out, save_mean, save_invstd);
    free(save_mean);
    free(save_invstd);
    return status;
}
static cnn_status batch_norm_backward(const gradcheck_op *op, const float *grad_out) {
    const batch_norm_case *c = op->context;
    float *out = zero_floats(op->outputs);
    float *save_mean = zero_floats(c->channels), *save_invstd = zero_floats(c->channels);
    cnn_status status = batch_norm_run(op, out, save_mean, save_invstd);
    if (!status)
        status = cnn_batch_norm2d_backward(op->tensors[0].grads, op->tensors[1].grads, op->tensors[2].grads, grad_out,
                                           op->tensors[0].values, op->tensors[1].values, save_mean, save_invstd,
                                           c->training, c->batch, c->channels, c->height, c->width);
    free(out);
    free(save_mean);
    free(save_invstd);
    return status;
}

static void batch_norm_gradients(const char *label, batch_norm_case c, int affine) {
    const int count = c.batch * c.channels * c.height * c.width;
    gradcheck_op op = {.label = label,
                       .context = &c,
                       .outputs = count,
                       .tensor_count = affine ? 3 : 1,
                       .tensors = {gradcheck_tensor_of("in", random_floats(count), count)},
                       .forward = batch_norm_forward,
                       .backward = batch_norm_backward};
    if (affine) {
        op.tensors[1] = gradcheck_tensor_of("weight", random_floats(c.channels), c.channels);
        op.tensors[2] = gradcheck_tensor_of("bias", random_floats(c.channels), c.channels);
    }
    check_gradients(&op);
    gradcheck_free(&op);
}

/* running = (1 − momentum)·running + momentum·stat, with the unbiased variance. */
static void batch_norm_running_statistics(void) {
    enum { BATCH = 2, CHANNELS = 2, PLANE = 3, COUNT = BATCH * CHANNELS * PLANE, M = BATCH * PLANE };
    float *in = random_floats(COUNT), *out = zero_floats(COUNT);
    float running_mean[CHANNELS] = {0.5f, -1.0f}, running_var[CHANNELS] = {2.0f, 0.25f};
    float save_mean[CHANNELS], save_invstd[CHANNELS];
    const float momentum = 0.25f, eps = 1e-3f;
    CHECK(cnn_batch_norm2d_forward(out, save_mean, save_invstd, running_mean, running_var, in, NULL, NULL, 1, momentum,
                                   eps, BATCH, CHANNELS, 1, PLANE) == CNN_OK,
          "batch_norm2d training: %s", cnn_last_error());
    const double initial_mean[CHANNELS] = {0.5, -1.0}, initial_var[CHANNELS] = {2.0, 0.25};
    for (int c = 0; c < CHANNELS; c++) {
        double sum = 0.0, squares = 0.0;
        for (int n = 0; n < BATCH; n++)
            for (int i = 0; i < PLANE; i++) sum += in[(n * CHANNELS + c) * PLANE + i];
        const double mean = sum / M;
        for (int n = 0; n < BATCH; n++)
            for (int i = 0; i < PLANE; i++) squares += pow(in[(n * CHANNELS + c) * PLANE + i] - mean, 2);
        CHECK(close_enough(save_mean[c], mean, 1e-6, 1e-5), "save_mean[%d] = %g, want %g", c, save_mean[c], mean);
        CHECK(close_enough(save_invstd[c], 1.0 / sqrt(squares / M + eps), 1e-6, 1e-5),
              "save_invstd[%d] = %g uses the biased variance", c, save_invstd[c]);
        CHECK(close_enough(running_mean[c], (1 - momentum) * initial_mean[c] + momentum * mean, 1e-6, 1e-5),
              "running_mean[%d] = %g", c, running_mean[c]);
        CHECK(close_enough(running_var[c], (1 - momentum) * initial_var[c] + momentum * squares / (M - 1), 1e-6, 1e-5),
              "running_var[%d] = %g must use the unbiased variance", c, running_var[c]);
    }
    free(in);
    free(out);
}

typedef struct {
    int batch, in_features, out_features;
} linear_sizes;

static cnn_status linear_forward(const gradcheck_op *op, float *out) {
    const linear_sizes *s = op->context;
    return cnn_linear_forward(out, op->tensors[0].values, op->tensors[1].values, op->tensors[2].values, s->batch,
                              s->in_features, s->out_features);
}
static cnn_status linear_backward(const gradcheck_op *op, const float *grad_out) {
    const linear_sizes *s = op->context;
    return cnn_linear_backward(op->tensors[0].grads, op->tensors[1].grads, op->tensors[2].grads, grad_out,
                               op->tensors[0].values, op->tensors[1].values, s->batch, s->in_features, s->out_features);
}

static void linear_gradients(const char *label, linear_sizes s, int has_bias) {
    const int input_count = s.batch * s.in_features, weight_count = s.out_features * s.in_features;
    gradcheck_op op = {.label = label,
                       .context = &s,
                       .outputs = s.batch * s.out_features,
                       .tensor_count = has_bias ? 3 : 2,
                       .tensors = {gradcheck_tensor_of("in", random_floats(input_count), input_count),
                                   gradcheck_tensor_of("weight", random_floats(weight_count), weight_count)},
                       .forward = linear_forward,
                       .backward = linear_backward};
    if (has_bias) op.tensors[2] = gradcheck_tensor_of("bias", random_floats(s.out_features), s.out_features);
    check_gradients(&op);
    gradcheck_free(&op);
}

typedef struct {
    int batch, classes;
    const int32_t *targets;
} cross_entropy_case;

static cnn_status cross_entropy_forward(const gradcheck_op *op, float *loss) {
    const cross_entropy_case *c = op->context;
    float *probs = zero_floats(c->batch * c->classes);
    const cnn_status status =
        cnn_cross_entropy_forward(loss, probs, op->tensors[0].values, c->targets, c->batch, c->classes);
    free(probs);
    return status;
}
static cnn_status cross_entropy_backward(const gradcheck_op *op, const float *grad_loss) {
    const cross_entropy_case *c = op->context;
    float *probs = zero_floats(c->batch * c->classes), loss;
    cnn_status status =
        cnn_cross_entropy_forward(&loss, probs, op->tensors[0].values, c->targets, c->batch, c->classes);
    if (!status)
        status =
            cnn_cross_entropy_backward(op->tensors[0].grads, grad_loss[0], probs, c->targets, c->batch, c->classes);
    free(probs);
    return status;
}

static void cross_entropy_gradients(void) {
    const int32_t targets[3] = {4, 0, 2};
    const cross_entropy_case c = {3, 5, targets};
    float *logits = random_floats(15);
    for (int i = 0; i < 15; i++) logits[i] *= 2.0f;
    gradcheck_op op = {.label = "cross_entropy",
                       .context = &c,
                       .outputs = 1,
                       .tensor_count = 1,
                       .tensors = {gradcheck_tensor_of("logits", logits, 15)},
                       .forward = cross_entropy_forward,
                       .backward = cross_entropy_backward};
    check_gradients(&op);
    gradcheck_free(&op);
}

static cnn_status relu_forward(const gradcheck_op *op, float *out) {
    return cnn_relu_forward(out, op->tensors[0].values, op->tensors[0].count);
}
static cnn_status relu_backward(const gradcheck_op *op, const float *grad_out) {
    return cnn_relu_backward(op->tensors[0].grads, grad_out, op->tensors[0].values, op->tensors[0].count);
}

/* Inputs at least 0.05 from the kink at 0. */
static void relu_gradients(void) {
    float *in = separated_floats(40, 0.05f);
    for (int i = 0; i < 40; i++)
        if (in[i] == 0.0f) in[i] = 1.0f;
    gradcheck_op op = {.label = "relu",
                       .outputs = 40,
                       .tensor_count = 1,
                       .tensors = {gradcheck_tensor_of("in", in, 40)},
                       .forward = relu_forward,
                       .backward = relu_backward};
    check_gradients(&op);
    gradcheck_free(&op);
}

void test_grad_dense(void) {
    const float running_mean[3] = {0.3f, -0.2f, 1.0f}, running_var[3] = {1.0f, 0.5f, 2.0f};
    batch_norm_gradients("batch_norm2d training, affine",
                         (batch_norm_case){1, 2, 3, 2, 3, 0.1f, 1e-5f, running_mean, running_var}, 1);
    batch_norm_gradients("batch_norm2d training, no affine",
                         (batch_norm_case){1, 3, 2, 2, 2, 0.1f, 1e-3f, running_mean, running_var}, 0);
    batch_norm_gradients("batch_norm2d eval, affine",
                         (batch_norm_case){0, 2, 3, 2, 2, 0.1f, 1e-5f, running_mean, running_var}, 1);
    batch_norm_running_statistics();
    linear_gradients("linear with bias", (linear_sizes){3, 5, 4}, 1);
    linear_gradients("linear without bias", (linear_sizes){2, 9, 7}, 0);
    cross_entropy_gradients();
    relu_gradients();
}
