/* parley serve: a small web server (libmicrohttpd) for playing, watching and exploring negotiations in a browser.
 * The page and the bundled scenarios are compiled into the binary; the API is in serve_api.c (docs/web.md).
 * Invariant: no part of a request names a file: scenarios are found by id in the catalogue built at start-up. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "cli.h"
#include "serve.h"

typedef struct serve_args {
    unsigned port;
    const char *bind;
    const char **dirs;
    size_t n_dirs;
    const char **libs;
    size_t n_libs;
    unsigned max_games;
    double idle;
    unsigned threads;
    int quiet;
} serve_args;

static const cli_opt serve_opts[] = {
    {.name = "--port",
     .kind = CLI_UINT,
     .off = offsetof(serve_args, port),
     .arg = "P",
     .min = 0,
     .max = 65535,
     .help = "listen on port P (default 8080; 0 = any free port, printed)"},
    {.name = "--bind",
     .kind = CLI_STR,
     .off = offsetof(serve_args, bind),
     .arg = "ADDR",
     .help = "listen on this IPv4 address (default 127.0.0.1: this machine only; 0.0.0.0 for a classroom)"},
    {.name = "--scenarios",
     .kind = CLI_STRS,
     .off = offsetof(serve_args, dirs),
     .off2 = offsetof(serve_args, n_dirs),
     .arg = "DIR",
     .help = "also offer every scenario in DIR: Genius folders and parley JSON files (repeatable)"},
    {.name = "--agent-lib",
     .kind = CLI_STRS,
     .off = offsetof(serve_args, libs),
     .off2 = offsetof(serve_args, n_libs),
     .arg = "LIB",
     .help = "load agents from a plug-in shared library (repeatable; docs/agents.md)"},
    {.name = "--max-games",
     .kind = CLI_UINT,
     .off = offsetof(serve_args, max_games),
     .arg = "N",
     .min = 1,
     .max = 100000,
     .help = "live games at most (default 1000); more are refused with 503"},
    {.name = "--idle",
     .kind = CLI_DOUBLE,
     .off = offsetof(serve_args, idle),
     .arg = "S",
     .positive = 1,
     .help = "free a game S seconds after its last request (default 1800)"},
    {.name = "--threads",
     .kind = CLI_UINT,
     .off = offsetof(serve_args, threads),
     .arg = "N",
     .min = 1,
     .max = 256,
     .help = "threads answering requests (default 4)"},
};

const cli_cmd cli_cmd_serve = {
    .name = "serve",
    .synopsis = "serve [--port P]",
    .summary = "a web page to play, watch and explore negotiations",
    .usage = "Usage: parley serve [--port P] [--bind ADDR] [--scenarios DIR]... [--agent-lib LIB.so]...\n"
             "                    [--max-games N] [--idle S] [--threads N]\n",
    .description = "Serve the parley page and its JSON API (docs/web.md): play a scenario against an agent or another\n"
                   "person, watch two agents, explore a scenario. Prints `listening on http://ADDR:P/` and runs until\n"
                   "interrupted (Ctrl-C, SIGTERM). The bundled scenarios are always offered.\n",
    .opts = serve_opts,
    .n_opts = sizeof serve_opts / sizeof serve_opts[0],
    .run = cmd_serve,
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* ---- The catalogue ---- */

/* A slug from a name: letters, digits, '-', '_' kept, everything else '-'; made unique with a suffix. */
static void make_id(serve_state *s, const char *name, char *id, size_t size)
{
    char base[48];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof base; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        base[n++] = ok ? c : '-';
    }
    base[n] = '\0';
    if (n == 0) {
        snprintf(base, sizeof base, "scenario");
    }
    snprintf(id, size, "%s", base);
    for (unsigned k = 2;; k++) {
        int taken = 0;
        for (size_t j = 0; j < s->n_scenarios; j++) {
            taken |= strcmp(s->scenarios[j].id, id) == 0;
        }
        if (!taken) {
            return;
        }
        snprintf(id, size, "%s-%u", base, k);
    }
}

/* Add a loaded scenario (takes ownership of sc): its negotiation context and analysis, built now. */
static int add_scenario(serve_state *s, pl_scenario *sc, const char *fallback_name)
{
    serve_scenario *ns = realloc(s->scenarios, (s->n_scenarios + 1) * sizeof *ns);
    if (!ns) {
        pl_scenario_free(sc);
        return -1;
    }
    s->scenarios = ns;
    serve_scenario *ss = &s->scenarios[s->n_scenarios];
    memset(ss, 0, sizeof *ss);
    make_id(s, pl_scenario_name(sc)[0] ? pl_scenario_name(sc) : fallback_name, ss->id, sizeof ss->id);
    ss->sc = sc;
    pl_diag d;
    pl_diag_clear(&d);
    if (pl_negotiation_new(sc, NULL, &ss->neg, &d) < 0) {
        pl_scenario_free(sc);
        return -1;
    }
    /* Sorted outcome lists and the analysis now, so that the first game on a large scenario starts at once. */
    if (pl_negotiation_prepare(ss->neg, 1, &d) < 0 || pl_negotiation_analysis(ss->neg, &ss->analysis, &d) < 0) {
        ss->analysis = NULL;
    }
    if (pl_space_outcome_count(pl_scenario_space(sc), &ss->outcomes) < 0) {
        ss->outcomes = UINT64_MAX;
    }
    s->n_scenarios++;
    return 0;
}

static int load_dir(serve_state *s, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "parley: %s: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn || !(nn[n] = strdup(e->d_name))) {
            free(nn ? nn : names);
            closedir(dp);
            return EXIT_FAIL;
        }
        names = nn;
        n++;
    }
    closedir(dp);
    int rc = 0;
    for (size_t k = 0; k < n; k++) { /* sorted, so ids do not depend on the directory's order */
        for (size_t j = k + 1; j < n; j++) {
            if (strcmp(names[j], names[k]) < 0) {
                char *t = names[k];
                names[k] = names[j];
                names[j] = t;
            }
        }
    }
    for (size_t k = 0; k < n; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        struct stat st;
        size_t len = strlen(names[k]);
        int is_json = len > 5 && strcmp(names[k] + len - 5, ".json") == 0;
        if (stat(path, &st) == 0 && (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && is_json))) {
            const char *p = path;
            pl_scenario *sc = NULL;
            pl_diag d;
            pl_diag_clear(&d);
            if (pl_scenario_load(&p, 1, NULL, &sc, &d) < 0) {
                cli_report(&d); /* one bad file does not stop the others */
                continue;
            }
            if (add_scenario(s, sc, names[k]) < 0) {
                rc = EXIT_FAIL;
            }
        }
    }
    for (size_t k = 0; k < n; k++) {
        free(names[k]);
    }
    free(names);
    return rc;
}

/* ---- HTTP ---- */

typedef struct request {
    char *body;
    size_t len, cap;
    int too_large;
} request;

static enum MHD_Result send_response(struct MHD_Connection *con, serve_response *r)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->len, r->body ? r->body : (void *)"",
                                        r->body_static || !r->body ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    serve_state *s = cls;
    request *rq = *con_cls;
    if (!rq) { /* first call: headers only */
        rq = calloc(1, sizeof *rq);
        if (!rq) {
            return MHD_NO;
        }
        const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        *con_cls = rq;
        if (cl && strtoull(cl, NULL, 10) > s->max_body) {
            /* Refused before reading the body: MHD sends the answer and closes the connection. */
            rq->too_large = 1;
            serve_response res = {HTTP_TOO_LARGE, "application/json", strdup("{\"error\":\"request body too large\"}"),
                                  0, 0};
            res.len = res.body ? strlen(res.body) : 0;
            return send_response(con, &res);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->too_large && rq->len + *upload_size <= s->max_body) {
            if (rq->len + *upload_size > rq->cap) {
                size_t cap = rq->len + *upload_size;
                char *nb = realloc(rq->body, cap);
                if (!nb) {
                    return MHD_NO;
                }
                rq->body = nb;
                rq->cap = cap;
            }
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
        } else {
            rq->too_large = 1; /* keep reading (and dropping) the body, then answer 413 */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    serve_response res = {0};
    if (rq->too_large) {
        res.status = HTTP_TOO_LARGE;
        res.type = "application/json";
        res.body = strdup("{\"error\":\"request body too large\"}");
        res.len = res.body ? strlen(res.body) : 0;
    } else if (strncmp(url, "/api/", 5) == 0) {
        const char *explore = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "explore");
        char path[300];
        snprintf(path, sizeof path, "%s%s", url, explore && strcmp(explore, "1") == 0 ? "?explore=1" : "");
        serve_api(s, method, path, MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
                  rq->body, rq->len, &res);
    } else if ((strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0) &&
               (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
        res.status = HTTP_OK;
        res.type = "text/html; charset=utf-8";
        res.body = (char *)serve_web_files[0].data;
        res.len = serve_web_files[0].size;
        res.body_static = 1;
    } else {
        res.status = HTTP_NOT_FOUND;
        res.type = "application/json";
        res.body = strdup("{\"error\":\"not found\"}");
        res.len = res.body ? strlen(res.body) : 0;
    }
    return send_response(con, &res);
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)con;
    (void)toe;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

int cmd_serve(int argc, char **argv)
{
    serve_args a = {.port = 8080, .bind = "127.0.0.1", .max_games = 1000, .idle = 1800, .threads = 4};
    int rc;
    if (cli_parse(&cli_cmd_serve, argc, argv, &a, NULL, &rc) != 0) {
        cli_args_free(&cli_cmd_serve, &a);
        return rc;
    }
    serve_state s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.mu, NULL);
    s.max_games = a.max_games;
    s.idle_seconds = a.idle;
    s.max_body = 64 * 1024;
    s.max_rounds = 10000;
    struct MHD_Daemon *daemon = NULL;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)a.port);
    if (inet_pton(AF_INET, a.bind, &addr.sin_addr) != 1) {
        rc = cli_usage_error("serve", "--bind %s: expected an IPv4 address such as 127.0.0.1", a.bind);
        goto cleanup;
    }
    if ((rc = cli_registry(a.libs, a.n_libs, &s.reg)) != 0) {
        goto cleanup;
    }
    s.games = calloc(s.max_games, sizeof *s.games);
    if (!s.games) {
        rc = EXIT_FAIL;
        goto cleanup;
    }
    for (size_t k = 0; k < serve_scenario_files_count; k++) {
        const pl_embedded_file *f = &serve_scenario_files[k];
        pl_scenario *sc = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        if (pl_scenario_load_parley_json_mem(f->data, f->size, f->name, NULL, &sc, &d) < 0) {
            cli_report(&d);
            rc = EXIT_FAIL;
            goto cleanup;
        }
        if (add_scenario(&s, sc, f->name) < 0) {
            rc = EXIT_FAIL;
            goto cleanup;
        }
    }
    for (size_t k = 0; k < a.n_dirs; k++) {
        if ((rc = load_dir(&s, a.dirs[k])) != 0) {
            goto cleanup;
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                              handle, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
                              a.threads, MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
                              completed, NULL, MHD_OPTION_END);
    if (!daemon) {
        fprintf(stderr, "parley: cannot listen on %s:%u (in use, or not an address of this machine)\n", a.bind, a.port);
        rc = EXIT_FAIL;
        goto cleanup;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on http://%s:%u/\n", a.bind, di ? (unsigned)di->port : a.port);
    fflush(stdout);
    while (!stop_requested) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
        serve_sweep(&s, 0);
    }
    fprintf(stderr, "parley: stopping\n");
    rc = EXIT_OK;
cleanup:
    if (daemon) {
        MHD_stop_daemon(daemon); /* waits for requests in flight */
    }
    if (s.games) {
        serve_sweep(&s, 1);
    }
    free(s.games);
    for (size_t k = 0; k < s.n_scenarios; k++) {
        pl_negotiation_free(s.scenarios[k].neg);
        pl_scenario_free(s.scenarios[k].sc);
    }
    free(s.scenarios);
    pl_registry_free(s.reg);
    pthread_mutex_destroy(&s.mu);
    cli_args_free(&cli_cmd_serve, &a);
    return rc;
}
