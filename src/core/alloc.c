/* The allocator hook (include/parley/alloc.h): every allocation of the library goes through pl__malloc & co. here.
 * Invariant: NULL from an allocation means failure (0 bytes are asked as 1), and what one allocator allocated is
 * freed by the same one (pl_set_allocator is documented for use while nothing is alive). */
#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parley/alloc.h"

/* Two slots so a reader never sees a half-written allocator: the setter fills the unused slot, then publishes it. */
static pl_allocator slots[2];
static _Atomic(const pl_allocator *) current; /* NULL = the C library's */
static unsigned next_slot;

static const pl_allocator *hook(void)
{
    return atomic_load_explicit(&current, memory_order_acquire);
}

void *pl__malloc(size_t n)
{
    const pl_allocator *a = hook();
    if (n == 0) {
        n = 1;
    }
    return a ? a->malloc_fn(a->user, n) : malloc(n);
}

void *pl__calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    const pl_allocator *a = hook();
    size_t total = n * size;
    if (!a) {
        return calloc(total ? total : 1, 1);
    }
    void *p = a->malloc_fn(a->user, total ? total : 1);
    if (p) {
        memset(p, 0, total);
    }
    return p;
}

void *pl__realloc(void *p, size_t n)
{
    const pl_allocator *a = hook();
    if (n == 0) {
        n = 1;
    }
    if (!a) {
        return realloc(p, n);
    }
    return p ? a->realloc_fn(a->user, p, n) : a->malloc_fn(a->user, n);
}

void pl__free(void *p)
{
    const pl_allocator *a = hook();
    if (!p) {
        return;
    }
    if (a) {
        a->free_fn(a->user, p);
    } else {
        free(p);
    }
}

void pl_free(void *p)
{
    pl__free(p);
}

void pl__json_free(void *p)
{
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    if (p) {
        (f ? f : free)(p);
    }
}

static _Thread_local int json_failed; /* an allocation for jansson failed on this thread */

/* jansson's hooks take no user pointer; these forward to the current allocator. */
static void *json_malloc(size_t n)
{
    void *p = pl__malloc(n);
    if (!p) {
        json_failed = 1;
    }
    return p;
}

json_t *pl__json_loadb(const char *buf, size_t len, size_t flags, json_error_t *e)
{
    json_failed = 0;
    json_t *j = json_loadb(buf, len, flags, e);
    if (j && json_failed) {
        /* jansson 2.14 can lose a failed allocation while scanning (a string cut short): never trust that tree. */
        json_decref(j);
        j = NULL;
    }
    return j;
}

/* Without the hook (jansson on malloc) only jansson's own word counts: its code, or no message at all (a failure
 * before parsing began, which only an allocation causes). */
int pl__json_oom(const json_error_t *e)
{
    return json_failed || json_error_code(e) == json_error_out_of_memory || e->text[0] == '\0';
}

static void json_free(void *p)
{
    pl__free(p);
}

int pl_set_allocator(const pl_allocator *a)
{
    if (a && (!a->malloc_fn || !a->realloc_fn || !a->free_fn)) {
        return PL_EINVAL;
    }
    if (!a) {
        atomic_store_explicit(&current, NULL, memory_order_release);
        json_set_alloc_funcs(malloc, free);
        return 0;
    }
    pl_allocator *slot = &slots[next_slot];
    next_slot ^= 1u;
    *slot = *a;
    atomic_store_explicit(&current, slot, memory_order_release);
    json_set_alloc_funcs(json_malloc, json_free);
    return 0;
}
