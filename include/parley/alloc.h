/* The allocator hook: every allocation libparley makes, and those of the JSON (jansson) and XML (expat) parsers it
 * uses, goes through one process-wide allocator, the C library's by default. SQLite (tournament stores) and cairo
 * (plots) keep their own allocators. Memory the library hands out as a plain pointer (not an object with its own
 * _free) is released with pl_free. */
#ifndef PARLEY_ALLOC_H
#define PARLEY_ALLOC_H

#include <stddef.h>

#include "parley/export.h"

/* An allocator: malloc_fn(user, n) and realloc_fn(user, p, n) return NULL on failure; the library never asks for 0
 * bytes, never passes NULL to realloc_fn or free_fn. free_fn releases what the other two returned. */
typedef struct pl_allocator {
    void *(*malloc_fn)(void *user, size_t n);
    void *(*realloc_fn)(void *user, void *p, size_t n);
    void (*free_fn)(void *user, void *p);
    void *user;
} pl_allocator;

/* Install a (copy of) a as the process-wide allocator; NULL restores the C library's. Call it before any other
 * library call or while no library object or library-returned memory is alive (what one allocator allocated, another
 * must not free). Not safe concurrently with other library calls; reading the allocator is thread-safe. Also routes
 * jansson (json_set_alloc_funcs) through the hook, or back to malloc/free. Errors: PL_EINVAL (a NULL function). */
PL_API int pl_set_allocator(const pl_allocator *a);

/* Release memory the library handed out as a plain pointer, with the allocator that allocated it: the strings of
 * pl_scenario_to_parley_json, pl_scenario_to_genius_xml (each string and the array), pl_jw_finish, pl_report_html
 * and pl_agent_list_split (each item and the array). NULL-safe. */
PL_API void pl_free(void *p);

#endif
