/* conv2d_plan_cache.c — the functional conv2d (cnn.h's cnn_conv2d_forward and _backward)
   through a small cache of plans (conv2d_plan.c), so a caller that repeats a shape — the
   binding's layers, every training step — makes its plan once.

   A plan is found by its solved geometry (every field, batch included). The cache holds at
   most CACHE_ENTRIES plans and CACHE_MAX_FLOATS floats of their scratch together: the least
   recently used plans make room for a new one, and a plan larger than the whole budget runs
   once and is freed. */
#include <string.h>
#include "../internal.h"

enum { CACHE_ENTRIES = 4 };
#define CACHE_MAX_FLOATS (1LL << 24) /* 64 MiB of scratch kept between calls */

static struct {
    cnn_conv2d_plan plan;
    unsigned long long last_used; /* 0: the entry is empty */
} cache[CACHE_ENTRIES];
static unsigned long long calls;

static void evict(int entry) {
    cnn_conv2d_plan_destroy(&cache[entry].plan);
    cache[entry].last_used = 0;
}

void cnn_conv2d_plan_cache_clear(void) {
    for (int i = 0; i < CACHE_ENTRIES; i++)
        if (cache[i].last_used) evict(i);
}

static long long cached_floats(void) {
    long long total = 0;
    for (int i = 0; i < CACHE_ENTRIES; i++) total += cache[i].last_used ? cache[i].plan.scratch_floats : 0;
    return total;
}

/* An empty entry, or −1. */
static int empty_entry(void) {
    for (int i = 0; i < CACHE_ENTRIES; i++)
        if (!cache[i].last_used) return i;
    return -1;
}

/* The least recently used entry holding a plan (some entry holds one). */
static int oldest_plan(void) {
    int oldest = -1;
    for (int i = 0; i < CACHE_ENTRIES; i++)
        if (cache[i].last_used && (oldest < 0 || cache[i].last_used < cache[oldest].last_used)) oldest = i;
    return oldest;
}

/* *plan: g's plan, from the cache or made now (into the cache, or into *uncached when it
   passes the budget: the caller destroys that one after the call). */
static cnn_status plan_for(cnn_conv2d_plan **plan, cnn_conv2d_plan *uncached, const cnn_geometry *g, const char *op) {
    cnn_geometry solved = *g;
    cnn_status status = cnn_conv2d_geometry(&solved);
    if (status) return status;
    calls++;
    for (int i = 0; i < CACHE_ENTRIES; i++)
        if (cache[i].last_used && memcmp(&cache[i].plan.g, &solved, sizeof solved) == 0) {
            cache[i].last_used = calls;
            *plan = &cache[i].plan;
            return CNN_OK;
        }
    if ((status = cnn_conv2d_plan_create(uncached, &solved, op))) return status;
    *plan = uncached;
    if (uncached->scratch_floats > CACHE_MAX_FLOATS) return CNN_OK;
    while (empty_entry() < 0 || cached_floats() + uncached->scratch_floats > CACHE_MAX_FLOATS) evict(oldest_plan());
    const int entry = empty_entry();
    cache[entry].plan = *uncached, cache[entry].last_used = calls;
    *plan = &cache[entry].plan;
    return CNN_OK;
}

cnn_status cnn_conv2d_forward(float *out, const float *in, const float *weight, const float *bias,
                              const cnn_geometry *g) {
    cnn_conv2d_plan uncached, *plan;
    const cnn_status status = plan_for(&plan, &uncached, g, "conv2d");
    if (status) return status;
    cnn_conv2d_plan_forward(out, in, weight, bias, plan, plan->g.batch);
    if (plan == &uncached) cnn_conv2d_plan_destroy(&uncached);
    return CNN_OK;
}

cnn_status cnn_conv2d_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                               const float *in, const float *weight, const cnn_geometry *g) {
    cnn_conv2d_plan uncached, *plan;
    const cnn_status status = plan_for(&plan, &uncached, g, "conv2d backward");
    if (status) return status;
    cnn_conv2d_plan_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, plan, plan->g.batch);
    if (plan == &uncached) cnn_conv2d_plan_destroy(&uncached);
    return CNN_OK;
}
