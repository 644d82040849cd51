/* network.c — a sequential model in one allocation per buffer, made once (see cnn_network.h).
   Each conv layer's plan (routes and scratch) and each linear layer's GEMM packing are made
   with it, for the capacity, so a step allocates nothing.
   Forward runs each layer's op on the previous activation; backward walks the
   layers in reverse with two ping-pong buffers for the activation gradients,
   each op accumulating its parameter gradients into the shared array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cnn_network.h"
#include "internal.h"

typedef struct {
    cnn_layer_kind kind;
    int has_bias;
    cnn_geometry g;                     /* batch set per call; in_* and out_* solved at creation */
    long long weight_offset;            /* into parameters and gradients; bias follows the weight */
    long long weight_count, bias_count; /* all counts 64-bit, checked against the limit at creation */
    float momentum, eps;                /* batch norm: torch.nn.BatchNorm2d's defaults 0.1, 1e-5 unless set */
    float *out;                         /* [capacity, out_channels, out_height, out_width] */
    int32_t *argmax;                    /* max pooling */
    float *save_mean, *save_invstd, *running_mean, *running_var; /* batch norm */
    cnn_conv2d_plan plan;                                        /* conv2d: its routes and scratch, for the capacity */
    float *linear_scratch;                                       /* linear: its GEMMs' packing, for the capacity */
} layer;

struct cnn_network {
    int count, capacity;
    layer *layers;
    float *input, *input_gradient, *parameters, *gradients;
    float *grad_a, *grad_b, *probs; /* activation gradients (ping-pong) and softmax */
    long long parameter_count, largest_activation;
    int training;      /* of the last forward pass: backward uses the same statistics */
    int forward_batch; /* of the last forward pass (0: none): backward reads its activations */
};

/* Both at most 2^31 − 1 (solve_layer), and capacity times either too (cnn_network_create):
   every count the passes compute fits an int32. */
static long long per_sample(const cnn_geometry *g) { return (long long)g->out_channels * g->out_height * g->out_width; }
static long long input_per_sample(const cnn_geometry *g) {
    return (long long)g->in_channels * g->in_height * g->in_width;
}

/* Solves layer l's geometry from its record and the previous output. */
static cnn_status solve_layer(layer *L, const int32_t *record, int channels, int height, int width, int index) {
    const char *op = "network";
    memcpy(&L->g, record + 2, sizeof L->g);
    L->kind = (cnn_layer_kind)record[0];
    L->has_bias = record[1] != 0;
    cnn_geometry *g = &L->g;
    g->batch = 1, g->in_channels = channels, g->in_height = height, g->in_width = width;
    cnn_status s = CNN_OK;
    switch (L->kind) {
        case CNN_LAYER_CONV2D:
            s = cnn_conv2d_geometry(g); /* checks the weight's element count */
            L->weight_count = s ? 0 : (long long)g->out_channels * (channels / g->groups) * g->kernel_h * g->kernel_w;
            L->bias_count = L->has_bias ? g->out_channels : 0;
            break;
        case CNN_LAYER_MAX_POOL2D:
            s = cnn_max_pool2d_geometry(g);
            break;
        case CNN_LAYER_AVG_POOL2D:
            s = cnn_avg_pool2d_geometry(g);
            break;
        case CNN_LAYER_ADAPTIVE_AVG_POOL2D:
            g->out_channels = channels;
            if (!(s = cnn_check_positive("adaptive_avg_pool2d", "output_size height", g->out_height)))
                s = cnn_check_positive("adaptive_avg_pool2d", "output_size width", g->out_width);
            break;
        case CNN_LAYER_BATCH_NORM2D:
        case CNN_LAYER_RELU:
            g->out_channels = channels, g->out_height = height, g->out_width = width;
            if (L->kind == CNN_LAYER_BATCH_NORM2D) {
                L->weight_count = L->bias_count = L->has_bias ? channels : 0;
                L->momentum = 0.1f, L->eps = 1e-5f;
                if (cnn_batch_norm2d_params(channels, L->has_bias) < 0) s = CNN_INVALID_ARGUMENT;
            }
            break;
        case CNN_LAYER_FLATTEN:
            g->out_channels = channels * height * width, g->out_height = g->out_width = 1;
            break;
        case CNN_LAYER_LINEAR:
            if (!(s = cnn_check_positive("linear", "out_features", g->out_channels)))
                s = cnn_check_elements("linear", "weight [out_features, C·H·W]", g->out_channels, channels, height,
                                       width);
            g->out_height = g->out_width = 1;
            L->weight_count = s ? 0 : (long long)g->out_channels * channels * height * width;
            L->bias_count = L->has_bias ? g->out_channels : 0;
            break;
        default:
            return cnn_fail(CNN_INVALID_ARGUMENT, op, "layer %d: unknown kind %d", index + 1, record[0]);
    }
    if (s) {
        /* Prefix the op's reason with the layer that broke the rule. */
        char reason[400];
        snprintf(reason, sizeof reason, "%s", cnn_last_error());
        return cnn_fail(s, op, "layer %d (input %d×%d×%d): %s", index + 1, channels, height, width, reason);
    }
    return cnn_check_elements(op, "an activation", g->out_channels, g->out_height, g->out_width, 1);
}

void cnn_network_destroy(cnn_network *net) {
    if (!net) return;
    for (int l = 0; l < net->count && net->layers; l++) {
        layer *L = net->layers + l;
        free(L->out), free(L->argmax), free(L->save_mean), free(L->save_invstd);
        free(L->running_mean); /* running_var shares its block */
        cnn_conv2d_plan_destroy(&L->plan), free(L->linear_scratch);
    }
    free(net->layers), free(net->input), free(net->input_gradient), free(net->parameters);
    free(net->gradients), free(net->grad_a), free(net->grad_b), free(net->probs);
    free(net);
}

/* Conv layer l's plan, for batches up to the capacity: made once, run every step. */
static cnn_status plan_layer(layer *L, int index, int capacity) {
    char op[64];
    snprintf(op, sizeof op, "network: layer %d (conv2d)", index + 1);
    cnn_geometry g = L->g;
    g.batch = capacity;
    return cnn_conv2d_plan_create(&L->plan, &g, op);
}

static float *alloc_filled(long long count, float value) {
    float *block = cnn_alloc_floats("network", count);
    for (long long i = 0; block && i < count; i++) block[i] = value;
    return block;
}

cnn_network *cnn_network_create(const int32_t *records, int32_t count, int32_t capacity, int32_t channels,
                                int32_t height, int32_t width) {
    const char *op = "network";
    if (cnn_check_positive(op, "layer count", count) || cnn_check_positive(op, "batch capacity", capacity) ||
        cnn_check_positive(op, "input channels", channels) || cnn_check_positive(op, "input height", height) ||
        cnn_check_positive(op, "input width", width) ||
        cnn_check_elements(op, "the input batch", capacity, channels, height, width))
        return NULL;
    cnn_network *net = calloc(1, sizeof *net);
    if (!net || !(net->layers = calloc((size_t)count, sizeof *net->layers))) {
        free(net);
        cnn_fail(CNN_OUT_OF_MEMORY, op, "out of memory for %d layers", count);
        return NULL;
    }
    net->count = count, net->capacity = capacity;
    const long long input_size = (long long)channels * height * width;
    net->largest_activation = input_size;
    for (int l = 0; l < count; l++) {
        layer *L = net->layers + l;
        if (solve_layer(L, records + (long)l * CNN_LAYER_FIELDS, channels, height, width, l)) {
            cnn_network_destroy(net);
            return NULL;
        }
        L->weight_offset = net->parameter_count;
        net->parameter_count += L->weight_count + L->bias_count; /* each ≤ 2^31 − 1: no wrap */
        channels = L->g.out_channels, height = L->g.out_height, width = L->g.out_width;
        if (per_sample(&L->g) > net->largest_activation) net->largest_activation = per_sample(&L->g);
        if (net->parameter_count > CNN_MAX_ELEMENTS ||
            cnn_check_elements(op, "a batch of activations", capacity, net->largest_activation, 1, 1)) {
            if (net->parameter_count > CNN_MAX_ELEMENTS)
                cnn_fail(CNN_INVALID_ARGUMENT, op, "layer %d: the parameters would number %lld, more than 2^31 - 1",
                         l + 1, net->parameter_count);
            cnn_network_destroy(net);
            return NULL;
        }
    }
    const long long batch_activation = (long long)capacity * net->largest_activation;
    int ok = (net->input = alloc_filled((long long)capacity * input_size, 0.0f)) &&
             (net->input_gradient = alloc_filled((long long)capacity * input_size, 0.0f)) &&
             (net->parameters = alloc_filled(net->parameter_count, 0.0f)) &&
             (net->gradients = alloc_filled(net->parameter_count, 0.0f)) &&
             (net->grad_a = alloc_filled(batch_activation, 0.0f)) &&
             (net->grad_b = alloc_filled(batch_activation, 0.0f)) &&
             (net->probs = alloc_filled((long long)capacity * per_sample(&net->layers[count - 1].g), 0.0f));
    for (int l = 0; ok && l < count; l++) {
        layer *L = net->layers + l;
        const long long outputs = capacity * per_sample(&L->g);
        ok = (L->out = alloc_filled(outputs, 0.0f)) != NULL;
        if (ok && L->kind == CNN_LAYER_MAX_POOL2D)
            ok = (L->argmax = malloc((size_t)outputs * sizeof(int32_t))) != NULL ||
                 (cnn_fail(CNN_OUT_OF_MEMORY, op, "out of memory for max-pool indices"), 0);
        if (ok && L->kind == CNN_LAYER_BATCH_NORM2D) {
            const int c = L->g.out_channels;
            ok = (L->save_mean = alloc_filled(c, 0.0f)) && (L->save_invstd = alloc_filled(c, 0.0f)) &&
                 (L->running_mean = alloc_filled(2 * c, 1.0f));
            if (ok) { /* running mean 0 and variance 1, side by side */
                L->running_var = L->running_mean + c;
                for (int i = 0; i < c; i++) L->running_mean[i] = 0.0f;
            }
            /* γ = 1, β = 0, as torch.nn.BatchNorm2d starts. */
            for (int i = 0; ok && L->has_bias && i < c; i++) net->parameters[L->weight_offset + i] = 1.0f;
        }
        if (ok && L->kind == CNN_LAYER_CONV2D) ok = plan_layer(L, l, capacity) == CNN_OK;
        if (ok && L->kind == CNN_LAYER_LINEAR)
            ok = (L->linear_scratch =
                      cnn_alloc_floats("network", cnn_linear_scratch_floats(capacity, (int)input_per_sample(&L->g),
                                                                            L->g.out_channels))) != NULL;
    }
    if (!ok) {
        cnn_network_destroy(net);
        return NULL;
    }
    return net;
}

float *cnn_network_parameters(cnn_network *net) { return net->parameters; }
float *cnn_network_gradients(cnn_network *net) { return net->gradients; }
int32_t cnn_network_parameter_count(const cnn_network *net) { return (int32_t)net->parameter_count; }

cnn_status cnn_network_set_batch_norm(cnn_network *net, int32_t index, float momentum, float eps) {
    if (index < 0 || index >= net->count || net->layers[index].kind != CNN_LAYER_BATCH_NORM2D)
        return cnn_fail(CNN_INVALID_ARGUMENT, "network", "layer %d is not a batch-norm layer", index);
    char op[64];
    snprintf(op, sizeof op, "network: layer %d (batch_norm2d)", index + 1);
    cnn_status s = cnn_batch_norm2d_check_options(op, momentum, eps);
    if (!s) net->layers[index].momentum = momentum, net->layers[index].eps = eps;
    return s;
}
float *cnn_network_input(cnn_network *net) { return net->input; }
float *cnn_network_input_gradient(cnn_network *net) { return net->input_gradient; }

float *cnn_network_activation(cnn_network *net, int32_t index, int32_t *shape) {
    if (index < 0 || index >= net->count) {
        cnn_fail(CNN_INVALID_ARGUMENT, "network", "layer %d must be in [0, %d)", index, net->count);
        return NULL;
    }
    const layer *L = net->layers + index;
    shape[0] = L->g.out_channels, shape[1] = L->g.out_height, shape[2] = L->g.out_width;
    return L->out;
}

float *cnn_network_running_stats(cnn_network *net, int32_t index) {
    if (index < 0 || index >= net->count || net->layers[index].kind != CNN_LAYER_BATCH_NORM2D) {
        cnn_fail(CNN_INVALID_ARGUMENT, "network", "layer %d is not a batch-norm layer", index);
        return NULL;
    }
    return net->layers[index].running_mean;
}

void cnn_network_zero_grad(cnn_network *net) {
    memset(net->gradients, 0, (size_t)net->parameter_count * sizeof(float));
}

static cnn_status check_batch(const cnn_network *net, int batch) {
    if (batch < 1 || batch > net->capacity)
        return cnn_fail(CNN_INVALID_ARGUMENT, "network", "batch = %d must be in [1, %d] (the capacity)", batch,
                        net->capacity);
    return CNN_OK;
}

static cnn_status layer_forward(layer *L, const float *in, const float *params, int batch, int training) {
    cnn_geometry *g = &L->g;
    g->batch = batch;
    const float *weight = params + L->weight_offset;
    const float *bias = L->bias_count ? weight + L->weight_count : NULL;
    const long count = batch * per_sample(g);
    switch (L->kind) {
        case CNN_LAYER_CONV2D:
            cnn_conv2d_plan_forward(L->out, in, weight, bias, &L->plan, batch);
            return CNN_OK;
        case CNN_LAYER_MAX_POOL2D:
            return cnn_max_pool2d_forward(L->out, L->argmax, in, g);
        case CNN_LAYER_AVG_POOL2D:
            return cnn_avg_pool2d_forward(L->out, in, g);
        case CNN_LAYER_ADAPTIVE_AVG_POOL2D:
            return cnn_adaptive_avg_pool2d_forward(L->out, in, batch, g->in_channels, g->in_height, g->in_width,
                                                   g->out_height, g->out_width);
        case CNN_LAYER_BATCH_NORM2D:
            return cnn_batch_norm2d_forward(L->out, L->save_mean, L->save_invstd, L->running_mean, L->running_var, in,
                                            L->has_bias ? weight : NULL, bias, training, L->momentum, L->eps, batch,
                                            g->in_channels, g->in_height, g->in_width);
        case CNN_LAYER_RELU:
            return cnn_relu_forward(L->out, in, (int32_t)count);
        case CNN_LAYER_FLATTEN:
            memcpy(L->out, in, (size_t)count * sizeof(float));
            return CNN_OK;
        case CNN_LAYER_LINEAR:
            cnn_linear_run_forward(L->out, in, weight, bias, batch, (int)input_per_sample(g), g->out_channels,
                                   L->linear_scratch);
            return CNN_OK;
    }
    return CNN_OK;
}

/* grad_in (NULL when not wanted) must be zeroed by the caller: ops accumulate. */
static cnn_status layer_backward(layer *L, float *grad_in, const float *grad_out, const float *in, const float *params,
                                 float *grads, int batch, int training) {
    const cnn_geometry *g = &L->g;
    const float *weight = params + L->weight_offset;
    float *grad_weight = grads + L->weight_offset;
    float *grad_bias = L->bias_count ? grad_weight + L->weight_count : NULL;
    const long count = batch * input_per_sample(g);
    switch (L->kind) {
        case CNN_LAYER_CONV2D:
            cnn_conv2d_plan_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, &L->plan, batch);
            return CNN_OK;
        case CNN_LAYER_MAX_POOL2D:
            return grad_in ? cnn_max_pool2d_backward(grad_in, grad_out, L->argmax, g) : CNN_OK;
        case CNN_LAYER_AVG_POOL2D:
            return grad_in ? cnn_avg_pool2d_backward(grad_in, grad_out, g) : CNN_OK;
        case CNN_LAYER_ADAPTIVE_AVG_POOL2D:
            return grad_in ? cnn_adaptive_avg_pool2d_backward(grad_in, grad_out, batch, g->in_channels, g->in_height,
                                                              g->in_width, g->out_height, g->out_width)
                           : CNN_OK;
        case CNN_LAYER_BATCH_NORM2D:
            return cnn_batch_norm2d_backward(grad_in, L->has_bias ? grad_weight : NULL, grad_bias, grad_out, in,
                                             L->has_bias ? weight : NULL, L->save_mean, L->save_invstd, training, batch,
                                             g->in_channels, g->in_height, g->in_width);
        case CNN_LAYER_RELU:
            return grad_in ? cnn_relu_backward(grad_in, grad_out, in, (int32_t)count) : CNN_OK;
        case CNN_LAYER_FLATTEN:
            if (grad_in)
                for (long i = 0; i < count; i++) grad_in[i] += grad_out[i];
            return CNN_OK;
        case CNN_LAYER_LINEAR:
            cnn_linear_run_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, batch,
                                    (int)input_per_sample(g), g->out_channels, L->linear_scratch);
            return CNN_OK;
    }
    return CNN_OK;
}

cnn_status cnn_network_forward(cnn_network *net, int32_t batch, int32_t training) {
    cnn_status s = check_batch(net, batch);
    const float *in = net->input;
    for (int l = 0; !s && l < net->count; l++) {
        s = layer_forward(net->layers + l, in, net->parameters, batch, training);
        in = net->layers[l].out;
    }
    net->training = training;
    net->forward_batch = s ? 0 : batch;
    return s;
}

cnn_status cnn_network_backward(cnn_network *net, const float *grad_output, int32_t batch, int32_t input_gradient) {
    cnn_status s = check_batch(net, batch);
    if (s) return s;
    if (batch != net->forward_batch)
        return cnn_fail(CNN_INVALID_ARGUMENT, "network backward",
                        "batch = %d must be the batch of the last forward pass (%d; 0 = none): "
                        "backward reads its activations and a grad_output of that many samples",
                        batch, net->forward_batch);
    const float *grad_out = grad_output;
    for (int l = net->count - 1; !s && l >= 0; l--) {
        layer *L = net->layers + l;
        const float *in = l > 0 ? net->layers[l - 1].out : net->input;
        float *grad_in = l > 0            ? (grad_out == net->grad_a ? net->grad_b : net->grad_a)
                         : input_gradient ? net->input_gradient
                                          : NULL;
        if (grad_in) memset(grad_in, 0, (size_t)(batch * input_per_sample(&L->g)) * sizeof(float));
        s = layer_backward(L, grad_in, grad_out, in, net->parameters, net->gradients, batch, net->training);
        grad_out = grad_in;
    }
    return s;
}

cnn_status cnn_network_train_step(cnn_network *net, float *loss, int32_t *correct, const int32_t *targets,
                                  int32_t batch) {
    cnn_status s;
    if ((s = cnn_network_forward(net, batch, 1))) return s;
    const layer *last = net->layers + net->count - 1;
    const int classes = (int)per_sample(&last->g);
    if ((s = cnn_cross_entropy_forward(loss, net->probs, last->out, targets, batch, classes))) return s;
    int hits = 0;
    for (int n = 0; n < batch; n++) {
        const float *row = last->out + (long)n * classes;
        int best = 0;
        for (int k = 1; k < classes; k++) best = row[k] > row[best] ? k : best;
        hits += best == targets[n];
    }
    *correct = hits;
    float *grad_logits = net->grad_a;
    memset(grad_logits, 0, (size_t)batch * classes * sizeof(float));
    if ((s = cnn_cross_entropy_backward(grad_logits, 1.0f, net->probs, targets, batch, classes))) return s;
    cnn_network_zero_grad(net);
    /* grad_logits lives in grad_a; backward ping-pongs from there. */
    return cnn_network_backward(net, grad_logits, batch, 0);
}
