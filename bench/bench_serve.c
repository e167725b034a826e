/* Load bench of `parley serve` (bench/README.md): N concurrent games against an agent on loopback, one client thread
 * and one keep-alive connection per game, each player offering random outcomes until the deadline or an agreement.
 * Prints offers/s and the offers' latency percentiles (the agent answers inside the request).
 * THINK_MS > 0: each player pauses a random 0..2*THINK_MS ms before each offer (people think; 0: closed loop, every
 * player fires its next offer at once, which measures throughput and queueing rather than one offer's cost).
 * Usage: bench_serve [PORT|- [GAMES] [ROUNDS] [AGENT] [THINK_MS]]: PORT of a running `parley serve`, or - (the
 * default) to start build/parley serve on a free port (run from the repository root, as `make bench` does). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

static unsigned g_port, g_rounds, g_think_ms;
static const char *g_agent;
static json_t *g_issues;
static pthread_barrier_t g_start;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One request on a keep-alive connection; returns the status and the body (malloc'd) or -1. */
static int http(int fd, const char *method, const char *path, const char *token, const char *body, char **out)
{
    char head[1024];
    size_t blen = body ? strlen(body) : 0;
    int n =
        snprintf(head, sizeof head,
                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                 "%s%s%s\r\n",
                 method, path, blen, token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "");
    if (write(fd, head, (size_t)n) != n || (blen && write(fd, body, blen) != (ssize_t)blen)) {
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    char *end = NULL;
    while (!(end = memmem(buf, len, "\r\n\r\n", 4))) {
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r <= 0 || (len += (size_t)r) >= cap - 1) {
            free(buf);
            return -1;
        }
    }
    buf[len] = '\0';
    int status = atoi(buf + 9);
    char *cl = strcasestr(buf, "Content-Length:");
    size_t want = cl ? strtoul(cl + 15, NULL, 10) : 0, hdr = (size_t)(end + 4 - buf);
    if (hdr + want + 1 > cap) {
        cap = hdr + want + 1;
        buf = realloc(buf, cap);
    }
    while (len < hdr + want) {
        ssize_t r = read(fd, buf + len, hdr + want - len);
        if (r <= 0) {
            free(buf);
            return -1;
        }
        len += (size_t)r;
    }
    *out = malloc(want + 1);
    memcpy(*out, buf + hdr, want);
    (*out)[want] = '\0';
    free(buf);
    return status;
}

typedef struct player {
    unsigned k;
    double *lat;
    size_t n, cap;
    int failed;
} player;

static void *play(void *arg)
{
    player *p = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    char body[512], *res = NULL, path[128], token[80];
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        p->failed = 1;
        pthread_barrier_wait(&g_start);
        return NULL;
    }
    snprintf(body, sizeof body,
             "{\"scenario\":\"job-offer\",\"role\":%u,\"opponent\":\"%s\",\"rounds\":%u,\"seed\":%u}", p->k % 2,
             g_agent, g_rounds, p->k + 1);
    int st = http(fd, "POST", "/api/games", NULL, body, &res);
    json_t *g = st == 201 ? json_loads(res, 0, NULL) : NULL;
    free(res);
    pthread_barrier_wait(&g_start);
    if (!g) {
        p->failed = 1;
        close(fd);
        return NULL;
    }
    snprintf(path, sizeof path, "/api/games/%s/offer", json_string_value(json_object_get(g, "game")));
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(g, "token")));
    json_decref(g);
    unsigned seed = p->k * 7919u + 1;
    for (;;) {
        json_t *o = json_object();
        size_t i;
        json_t *is;
        json_array_foreach(g_issues, i, is)
        {
            json_t *vals = json_object_get(is, "values");
            json_object_set(o, json_string_value(json_object_get(is, "name")),
                            json_array_get(vals, (size_t)rand_r(&seed) % json_array_size(vals)));
        }
        if (g_think_ms) {
            unsigned ms = (unsigned)rand_r(&seed) % (2 * g_think_ms + 1);
            struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        json_t *req = json_pack("{s:o}", "outcome", o);
        char *text = json_dumps(req, JSON_COMPACT);
        json_decref(req);
        double t0 = now();
        st = http(fd, "POST", path, token, text, &res);
        double dt = now() - t0;
        free(text);
        if (st != 200) {
            p->failed = st != 409; /* 409: the game ended under us (not expected) */
            free(res);
            break;
        }
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 64;
            p->lat = realloc(p->lat, p->cap * sizeof *p->lat);
        }
        p->lat[p->n++] = dt;
        int mine = strstr(res, "\"status\":\"your_turn\"") != NULL;
        free(res);
        if (!mine) {
            break;
        }
    }
    close(fd);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Start build/parley serve --port 0 with its stdout on a pipe; the port from its first line. */
static pid_t start_server(unsigned *port)
{
    int fds[2];
    if (pipe(fds) < 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl("build/parley", "parley", "serve", "--port", "0", "--max-games", "1000", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[256] = "";
    if (pid < 0 || !f || !fgets(line, sizeof line, f) || !strrchr(line, ':')) {
        return -1;
    }
    *port = (unsigned)atoi(strrchr(line, ':') + 1);
    return pid; /* f stays open: the server's later output goes nowhere */
}

int main(int argc, char **argv)
{
    pid_t server = 0;
    if (argc < 2 || strcmp(argv[1], "-") == 0) {
        if ((server = start_server(&g_port)) < 0) {
            fprintf(stderr, "bench_serve: cannot start build/parley serve (run from the repository root)\n");
            return 1;
        }
    } else {
        g_port = (unsigned)atoi(argv[1]);
    }
    unsigned games = argc > 2 ? (unsigned)atoi(argv[2]) : 200;
    g_rounds = argc > 3 ? (unsigned)atoi(argv[3]) : 50;
    g_agent = argc > 4 ? argv[4] : "boulware";
    g_think_ms = argc > 5 ? (unsigned)atoi(argv[5]) : 0;
    /* The scenario's issues and values, for random offers. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    char *res = NULL;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        http(fd, "GET", "/api/scenarios/job-offer", NULL, NULL, &res) != 200) {
        fprintf(stderr, "bench_serve: no parley serve on port %u\n", g_port);
        return 1;
    }
    close(fd);
    json_t *detail = json_loads(res, 0, NULL);
    free(res);
    g_issues = json_object_get(detail, "issues");
    player *ps = calloc(games, sizeof *ps);
    pthread_t *th = calloc(games, sizeof *th);
    pthread_barrier_init(&g_start, NULL, games + 1);
    for (unsigned k = 0; k < games; k++) {
        ps[k].k = k;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setstacksize(&at, 256 * 1024);
        pthread_create(&th[k], &at, play, &ps[k]);
        pthread_attr_destroy(&at);
    }
    pthread_barrier_wait(&g_start);
    double t0 = now();
    size_t total = 0, failed = 0;
    for (unsigned k = 0; k < games; k++) {
        pthread_join(th[k], NULL);
        total += ps[k].n;
        failed += (size_t)ps[k].failed;
    }
    double wall = now() - t0;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t m = 0;
    for (unsigned k = 0; k < games; k++) {
        memcpy(all + m, ps[k].lat, ps[k].n * sizeof *all);
        m += ps[k].n;
        free(ps[k].lat);
    }
    qsort(all, total, sizeof *all, cmp);
#define PCT(p) (total ? 1000 * all[(size_t)((p) * (double)(total - 1))] : 0.0)
    printf("games %u (opponent %s, %u rounds, think %u ms): %zu offers in %.2f s, %.0f requests/s\n", games, g_agent,
           g_rounds, g_think_ms, total, wall, total / wall);
    printf("offer latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", PCT(0.5), PCT(0.9), PCT(0.99), PCT(1.0));
    if (failed) {
        printf("failed games: %zu\n", failed);
    }
    free(all);
    free(ps);
    free(th);
    json_decref(detail);
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
    }
    return failed ? 1 : 0;
}
