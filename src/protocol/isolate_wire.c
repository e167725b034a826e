/* Isolated sessions: the parent's and the child's shared plumbing: the clock, /proc/PID/statm, whole reads and
 * writes on the socket, the message buffer and cursor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/internal.h"
#include "protocol/isolate_internal.h"

double pl__iso_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Field k (0-based) of /proc/PID/statm in bytes (0 = size, 1 = resident), 0 when unreadable. Only open, read and
 * close: async-signal-safe, so the child's fatal-signal handler uses it too. */
uint64_t pl__iso_statm(pid_t pid, int k)
{
    char path[64] = "/proc/self/statm", buf[128];
    if (pid > 0) {
        /* No snprintf: keep this function async-signal-safe. */
        char digits[24];
        int nd = 0;
        for (long p = pid; p > 0 && nd < 23; p /= 10) {
            digits[nd++] = (char)('0' + p % 10);
        }
        size_t at = 6; /* "/proc/" */
        while (nd > 0) {
            path[at++] = digits[--nd];
        }
        memcpy(path + at, "/statm", 7);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    buf[n] = 0;
    const char *s = buf;
    for (int f = 0; f < k; f++) {
        while (*s && *s != ' ') {
            s++;
        }
        while (*s == ' ') {
            s++;
        }
    }
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint64_t)(*s - '0');
    }
    return v * (uint64_t)sysconf(_SC_PAGESIZE);
}

int pl__iso_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int pl__iso_read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

void pl__iso_put(iso_bytes *b, const void *x, size_t n)
{
    if (b->failed) {
        return;
    }
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) {
            cap *= 2;
        }
        char *np = pl__realloc(b->p, cap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, x, n);
    b->n += n;
}

void pl__iso_get(iso_cursor *c, void *x, size_t n)
{
    if (c->bad || c->n < n) {
        c->bad = 1;
        memset(x, 0, n);
        return;
    }
    memcpy(x, c->p, n);
    c->p += n;
    c->n -= n;
}
