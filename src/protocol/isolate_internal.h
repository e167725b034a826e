/* Isolated sessions' internals shared by the parent (isolate.c), the child (isolate_child.c) and the wire format
 * between them (isolate_wire.c). Not installed. */
#ifndef PL_PROTOCOL_ISOLATE_INTERNAL_H
#define PL_PROTOCOL_ISOLATE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol/isolate.h"

/* Written by the child, read by the parent (a MAP_SHARED page). seq (the call's number) is stored last (release)
 * and read first (acquire), so party / round belong to the call it announces; in_call says whether it still runs. */
typedef struct iso_page {
    uint64_t seq;
    int in_call;
    int party;
    uint64_t round;
    int memory; /* the child's fatal-signal handler found its address space at the limit */
} iso_page;

struct pl__iso {
    pl__iso_setup setup;
    void *ud;
    pl_negotiation *const *negs;
    size_t n_negs;
    iso_page *page;
    pid_t pid;
    int fd;
    uint64_t base_rss;     /* the parent's resident bytes when the child was forked */
    uint64_t memory_limit; /* the limit the child was made with */
};

/* Monotonic seconds. */
double pl__iso_now(void);
/* Field k (0-based) of /proc/PID/statm in bytes (0 = size, 1 = resident; pid 0 = this process), 0 when unreadable.
 * Async-signal-safe. */
uint64_t pl__iso_statm(pid_t pid, int k);
/* Write / read exactly n bytes (send with MSG_NOSIGNAL: a dead peer is an error, not SIGPIPE). 0 or -1. */
int pl__iso_write_all(int fd, const void *buf, size_t n);
int pl__iso_read_all(int fd, void *buf, size_t n);

/* A growable byte buffer for messages. */
typedef struct iso_bytes {
    char *p;
    size_t n, cap;
    int failed;
} iso_bytes;

void pl__iso_put(iso_bytes *b, const void *x, size_t n);

#define ISO_PUT(b, v)                                                                                                  \
    do {                                                                                                           \
        __typeof__(v) put_v_ = (v);                                                                                \
        pl__iso_put((b), &put_v_, sizeof put_v_);                                                                 \
    } while (0)

/* Reading a message: a cursor that fails (sets bad) instead of running past the end. */
typedef struct iso_cursor {
    const char *p;
    size_t n;
    int bad;
} iso_cursor;

void pl__iso_get(iso_cursor *c, void *x, size_t n);

/* Messages from the child: a header (kind, payload length), then the payload. */
enum { ISO_MSG_ACTION = 'A', ISO_MSG_RESULT = 'R' };
typedef struct iso_msg_head {
    uint32_t kind;
    uint32_t len;
} iso_msg_head;


typedef struct iso_request {
    uint64_t job;
    int32_t actions; /* stream the actions */
    int32_t pad;
} iso_request;

/* The worker process's loop: read a request, run the session on wrapped agents, write the actions and the result;
 * never returns (_exit when the parent closes the socket). */
_Noreturn void pl__iso_child_main(pl__iso *w, int fd, pid_t parent);

#endif
