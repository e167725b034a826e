/* The tournament report: one self-contained, well-formed XHTML page (inline CSS and SVG; no scripts, web fonts or
 * network) built from a tournament folder through the public API only: the stored parameters, the per-agent
 * summary and every session's row. The page holds no timings, so the same folder gives the same bytes. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"
#include "plot/plot_internal.h"

static void report_free(pl__report *r)
{
    pl_tournament_summary_free(r->sum);
    for (size_t k = 0; k < r->ns; k++) {
        pl__free(r->scen[k]);
        pl__free(r->scen_path[k]);
    }
    for (size_t k = 0; r->u && k < r->na; k++) {
        pl__free(r->u[k]);
    }
    pl__free(r->scen);
    pl__free(r->scen_path);
    pl__free(r->scen_parties);
    pl__free(r->cell_n);
    pl__free(r->cell_agree);
    pl__free(r->scen_n);
    pl__free(r->scen_agree);
    pl__free(r->u);
    pl__free(r->un);
    pl__free(r->ucap);
    pl__free(r->rank);
    memset(r, 0, sizeof *r);
}

/* ---- Reading every session (streamed: one JSON object per line of the export) ---- */

typedef struct reader {
    pl__report *r;
    pl__buf line;
    int failed; /* PL_ENOMEM or PL_EPARSE */
} reader;

static long find_scenario(pl__report *r, const char *name, const char *path, size_t parties)
{
    for (size_t k = 0; k < r->ns; k++) {
        if (strcmp(r->scen_path[k], path) == 0) {
            return (long)k;
        }
    }
    /* Sessions come scenario by scenario, so first appearance is plan order. */
    size_t n = r->ns + 1;
    char **s = pl__realloc(r->scen, n * sizeof *s);
    if (s) {
        r->scen = s;
    }
    char **p = pl__realloc(r->scen_path, n * sizeof *p);
    if (p) {
        r->scen_path = p;
    }
    size_t *np = pl__realloc(r->scen_parties, n * sizeof *np);
    if (np) {
        r->scen_parties = np;
    }
    uint64_t *a = pl__realloc(r->scen_n, n * sizeof *a), *b = a ? pl__realloc(r->scen_agree, n * sizeof *b) : NULL;
    if (a) {
        r->scen_n = a;
    }
    if (b) {
        r->scen_agree = b;
    }
    if (!s || !p || !np || !a || !b) {
        return -1;
    }
    r->scen[r->ns] = pl__strdup(name);
    r->scen_path[r->ns] = pl__strdup(path);
    if (!r->scen[r->ns] || !r->scen_path[r->ns]) {
        pl__free(r->scen[r->ns]);
        pl__free(r->scen_path[r->ns]);
        return -1;
    }
    r->scen_parties[r->ns] = parties;
    r->scen_n[r->ns] = r->scen_agree[r->ns] = 0;
    return (long)r->ns++;
}

static long find_agent(const pl__report *r, const char *spec)
{
    for (size_t k = 0; k < r->na; k++) {
        if (strcmp(r->sum->agents[k].agent, spec) == 0) {
            return (long)k;
        }
    }
    return -1;
}

static int add_utility(pl__report *r, size_t k, double u)
{
    if (r->un[k] == r->ucap[k]) {
        size_t cap = r->ucap[k] ? r->ucap[k] * 2 : 64;
        double *v = pl__realloc(r->u[k], cap * sizeof *v);
        if (!v) {
            return PL_ENOMEM;
        }
        r->u[k] = v;
        r->ucap[k] = cap;
    }
    r->u[k][r->un[k]++] = u;
    return 0;
}

/* The per-(agent, scenario) counts grow with the scenarios. */
static int grow_cells(pl__report *r, size_t ns_old)
{
    if (r->ns == ns_old) {
        return 0;
    }
    uint64_t *n = pl__calloc(r->na * r->ns + 1, sizeof *n), *a = pl__calloc(r->na * r->ns + 1, sizeof *a);
    if (!n || !a) {
        pl__free(n);
        pl__free(a);
        return PL_ENOMEM;
    }
    for (size_t k = 0; k < r->na; k++) {
        for (size_t s = 0; s < ns_old; s++) {
            n[k * r->ns + s] = r->cell_n[k * ns_old + s];
            a[k * r->ns + s] = r->cell_agree[k * ns_old + s];
        }
    }
    pl__free(r->cell_n);
    pl__free(r->cell_agree);
    r->cell_n = n;
    r->cell_agree = a;
    return 0;
}

static int session_row(pl__report *r, json_t *o)
{
    json_t *name = json_object_get(o, "scenario"), *path = json_object_get(o, "scenario_path");
    json_t *agents = json_object_get(o, "agents"), *utils = json_object_get(o, "utilities");
    json_t *status = json_object_get(o, "status");
    if (!json_is_string(name) || !json_is_string(path) || !json_is_array(agents) || !json_is_string(status)) {
        return PL_EPARSE;
    }
    size_t ns_old = r->ns;
    long s = find_scenario(r, json_string_value(name), json_string_value(path), json_array_size(agents));
    if (s < 0 || grow_cells(r, ns_old) < 0) {
        return PL_ENOMEM;
    }
    int agreed = strcmp(json_string_value(status), "agreement") == 0;
    r->scen_n[s]++;
    r->scen_agree[s] += agreed;
    for (size_t q = 0; q < json_array_size(agents); q++) {
        json_t *a = json_array_get(agents, q), *u = json_array_get(utils, q);
        long k = json_is_string(a) ? find_agent(r, json_string_value(a)) : -1;
        if (k < 0) {
            continue;
        }
        r->cell_n[(size_t)k * r->ns + (size_t)s]++;
        r->cell_agree[(size_t)k * r->ns + (size_t)s] += agreed;
        if (json_is_number(u) && add_utility(r, (size_t)k, json_number_value(u)) < 0) {
            return PL_ENOMEM;
        }
    }
    return 0;
}

static void reader_line(reader *rd)
{
    char *t = rd->line.data;
    size_t n = rd->line.len;
    while (n && (t[n - 1] == ',' || t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '\r')) {
        n--;
    }
    while (n && *t == ' ') {
        t++;
        n--;
    }
    if (n == 0 || (n == 1 && (*t == '[' || *t == ']')) || (n == 2 && t[0] == '[' && t[1] == ']')) {
        return;
    }
    if (*t == '[') { /* "[{...}" when the array opens on the first row's line */
        t++;
        n--;
    }
    json_error_t err;
    json_t *o = pl__json_loadb(t, n, JSON_DECODE_INT_AS_REAL, &err); /* seeds exceed int64 */
    int rc = o && json_is_object(o) ? session_row(rd->r, o) : !o && pl__json_oom(&err) ? PL_ENOMEM : PL_EPARSE;
    json_decref(o);
    if (rc < 0 && !rd->failed) {
        rd->failed = rc;
    }
}

static int reader_write(void *ud, const char *text, size_t len)
{
    reader *rd = ud;
    for (size_t k = 0; k < len && !rd->failed; k++) {
        if (text[k] == '\n') {
            if (rd->line.data) {
                reader_line(rd);
            }
            rd->line.len = 0;
        } else {
            pl__buf_append(&rd->line, text + k, 1);
            if (rd->line.failed) {
                rd->failed = PL_ENOMEM;
            }
        }
    }
    return rd->failed != 0;
}

/* Agent x before agent y: higher mean utility first (agents without any value last), then by name. */
static int ranks_before(const pl__report *r, size_t x, size_t y)
{
    const pl_tournament_agent_stats *a = &r->sum->agents[x], *b = &r->sum->agents[y];
    double ma = a->utility.n ? a->utility.mean : -INFINITY, mb = b->utility.n ? b->utility.mean : -INFINITY;
    if (ma != mb) {
        return ma > mb;
    }
    return strcmp(a->agent, b->agent) < 0;
}

static int report_load(const char *dir, pl__report *r, pl_diag *d)
{
    memset(r, 0, sizeof *r);
    int rc = pl_tournament_summarize(dir, &r->sum, d);
    if (rc < 0) {
        return rc;
    }
    r->na = r->sum->n_agents;
    r->u = pl__calloc(r->na + 1, sizeof *r->u);
    r->un = pl__calloc(r->na + 1, sizeof *r->un);
    r->ucap = pl__calloc(r->na + 1, sizeof *r->ucap);
    r->rank = pl__calloc(r->na + 1, sizeof *r->rank);
    if (!r->u || !r->un || !r->ucap || !r->rank) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    reader rd = {r, {0}, 0};
    pl__buf_init(&rd.line);
    rc = pl_tournament_export(dir, PL_EXPORT_JSON, reader_write, &rd, d);
    if (rc == 0 && rd.line.len) {
        reader_line(&rd);
    }
    pl__buf_destroy(&rd.line);
    if (rd.failed) {
        return pl__diag_set(d, rd.failed, dir, 0, 0,
                            rd.failed == PL_ENOMEM ? "out of memory" : "unexpected session row in the export");
    }
    if (rc < 0) {
        return rc;
    }
    for (size_t k = 0; k < r->na; k++) { /* insertion sort: a handful of agents */
        size_t j = k;
        while (j > 0 && ranks_before(r, k, r->rank[j - 1])) {
            r->rank[j] = r->rank[j - 1];
            j--;
        }
        r->rank[j] = k;
    }
    return 0;
}

/* ---- The page ---- */

static const char *const css =
    "body{font-family:\"DejaVu Sans\",\"Helvetica Neue\",Arial,sans-serif;color:#111;margin:2em auto;"
    "max-width:1000px;padding:0 1em;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:0.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}"
    "p.sub{color:#444;margin-top:0}"
    "table{border-collapse:collapse;font-size:0.9em;margin:0.8em 0}"
    "th,td{padding:0.3em 0.7em;border-bottom:1px solid #e4e4e4;text-align:right;white-space:nowrap}"
    "th{background:#f3f3f3}td.l,th.l{text-align:left}"
    "td.pm{color:#555;font-size:0.85em}"
    ".scroll{overflow-x:auto}figure{margin:1em 0}figcaption{color:#444;font-size:0.9em;margin-top:0.3em}"
    "svg{max-width:100%;height:auto}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:0.2em 1em;font-size:0.92em}dt{color:#555}dd{margin:0}"
    "footer{margin-top:3em;color:#777;font-size:0.85em}";

static void esc(pl__buf *b, const char *s)
{
    pl__buf_xml_escaped(b, s);
}

static void stat_cells(pl__buf *b, const pl_stat *s, int pct)
{
    if (!s->n || !isfinite(s->mean)) {
        pl__buf_puts(b, "<td>n/a</td><td class=\"pm\"></td>");
        return;
    }
    if (pct) {
        pl__buf_printf(b, "<td>%.1f%%</td><td class=\"pm\">&#177; %.1f</td>", 100 * s->mean, 100 * s->ci95);
    } else {
        pl__buf_printf(b, "<td>%.4f</td><td class=\"pm\">&#177; %.4f</td>", s->mean, s->ci95);
    }
}

static void params(pl__buf *b, const char *dir, const pl__report *r)
{
    pl_tournament_options o;
    pl_tournament_options_init(&o);
    pl_tournament_saved *keep = NULL;
    pl_diag ignore; /* without the parameters the page simply leaves them out */
    pl_diag_clear(&ignore);
    pl__buf_puts(b, "<dl>");
    pl__buf_puts(b, "<dt>folder</dt><dd>");
    esc(b, dir);
    pl__buf_printf(b, "</dd><dt>sessions</dt><dd>%llu of %llu planned</dd>", (unsigned long long)r->sum->sessions,
                   (unsigned long long)r->sum->planned);
    if (pl_tournament_options_load(dir, &o, &keep, &ignore) == 0) {
        pl__buf_printf(b, "<dt>agents</dt><dd>%zu</dd><dt>scenarios</dt><dd>%zu</dd>", o.n_agents, o.n_scenarios);
        pl__buf_printf(b, "<dt>repetitions</dt><dd>%llu</dd><dt>deadline</dt><dd>", (unsigned long long)o.reps);
        if (o.rounds) {
            pl__buf_printf(b, "%llu rounds", (unsigned long long)o.rounds);
        }
        if (o.time_limit > 0) {
            pl__buf_printf(b, "%s%g s", o.rounds ? ", " : "", o.time_limit);
        }
        pl__buf_printf(b, "</dd><dt>protocol</dt><dd>%s</dd><dt>seed</dt><dd>%llu</dd><dt>self-play</dt><dd>%s</dd>",
                       pl_protocol_name(o.protocol),
                       (unsigned long long)o.seed, o.self_play ? "yes" : "no");
    }
    pl_tournament_saved_free(keep);
    pl__buf_puts(b, "</dl>\n");
}

static void ranking(pl__buf *b, const pl__report *r)
{
    pl__buf_puts(
        b, "<div class=\"scroll\"><table id=\"ranking\"><thead><tr><th>rank</th><th class=\"l\">agent</th><th>n</th>"
           "<th>utility</th><th></th><th>advantage</th><th></th><th>agreement</th><th></th>"
           "<th>welfare</th><th></th><th>Pareto distance</th><th></th><th>Nash distance</th><th></th>"
           "<th>rounds</th><th></th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->na; i++) {
        const pl_tournament_agent_stats *a = &r->sum->agents[r->rank[i]];
        pl__buf_printf(b, "<tr><td>%zu</td><td class=\"l\">", i + 1);
        esc(b, a->agent);
        pl__buf_printf(b, "</td><td>%llu</td>", (unsigned long long)a->appearances);
        stat_cells(b, &a->utility, 0);
        stat_cells(b, &a->advantage, 0);
        stat_cells(b, &a->agreement, 1);
        stat_cells(b, &a->welfare, 0);
        stat_cells(b, &a->pareto_distance, 0);
        stat_cells(b, &a->nash_distance, 0);
        stat_cells(b, &a->rounds, 0);
        pl__buf_puts(b, "</tr>\n");
    }
    pl__buf_puts(b, "</tbody></table></div>\n");
}

static void scenarios(pl__buf *b, const pl__report *r)
{
    pl__buf_puts(b, "<table id=\"scenarios\"><thead><tr><th class=\"l\">scenario</th><th>parties</th>"
                    "<th>sessions</th><th>agreements</th><th>rate</th></tr></thead><tbody>\n");
    for (size_t s = 0; s < r->ns; s++) {
        pl__buf_puts(b, "<tr><td class=\"l\">");
        esc(b, r->scen[s]);
        pl__buf_printf(b, "</td><td>%zu</td><td>%llu</td><td>%llu</td><td>%.1f%%</td></tr>\n", r->scen_parties[s],
                       (unsigned long long)r->scen_n[s], (unsigned long long)r->scen_agree[s],
                       r->scen_n[s] ? 100.0 * (double)r->scen_agree[s] / (double)r->scen_n[s] : 0.0);
    }
    pl__buf_puts(b, "</tbody></table>\n");
}

static int figure(pl__buf *b, pl__report *r, int chart, void (*draw)(cairo_t *, void *), const char *caption,
                  pl_diag *d)
{
    double w, h;
    char prefix[16];
    pl__chart_size(r, chart, &w, &h);
    snprintf(prefix, sizeof prefix, "c%d-", chart);
    pl__buf_puts(b, "<figure>\n");
    int rc = pl__svg_inline(w, h, draw, r, prefix, b, d);
    pl__buf_puts(b, "<figcaption>");
    pl__buf_puts(b, caption);
    pl__buf_puts(b, "</figcaption></figure>\n");
    return rc;
}

int pl_report_html(const char *dir, char **out, pl_diag *d)
{
    *out = NULL;
    pl__report r;
    int rc = report_load(dir, &r, d);
    pl__buf b;
    pl__buf_init(&b);
    if (rc < 0) {
        goto cleanup;
    }
    pl__buf_puts(&b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                     "<meta charset=\"utf-8\"/>\n<title>Tournament report: ");
    esc(&b, dir);
    pl__buf_printf(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Tournament report</h1>\n", css);
    pl__buf_printf(&b, "<p class=\"sub\">%zu agents, %zu scenarios, %llu sessions.</p>\n", r.na, r.ns,
                   (unsigned long long)r.sum->sessions);
    params(&b, dir, &r);
    pl__buf_puts(&b, "<h2>Ranking</h2>\n<p>Agents ranked by the mean (discounted) utility they obtained over every "
                     "session and role they played; &#177; is the half-width of the 95% confidence interval, "
                     "1.96 sd / &#8730;n. Advantage is utility minus the party's reservation value; agreement, "
                     "welfare, distances and rounds are those of the sessions the agent took part in "
                     "(docs/tournaments.md).</p>\n");
    ranking(&b, &r);
    PL_TRY(figure(&b, &r, 0, pl__chart_means, "Mean utility per agent; the bar is the 95% confidence interval.", d));
    pl__buf_puts(&b, "<h2>Utility distributions</h2>\n");
    PL_TRY(figure(&b, &r, 1, pl__chart_distributions,
                  "Every utility an agent obtained (one dot per session and role), with the quartiles as a box, "
                  "the median as a bar, whiskers to the furthest values within 1.5 interquartile ranges, and the "
                  "mean as a diamond.",
                  d));
    pl__buf_puts(&b, "<h2>Agreement rates</h2>\n");
    PL_TRY(figure(&b, &r, 2, pl__chart_heatmap,
                  "Share of an agent's sessions on a scenario that ended in agreement (viridis: dark = low, "
                  "yellow = high; - = never played there).",
                  d));
    pl__buf_puts(&b, "<h2>Scenarios</h2>\n");
    scenarios(&b, &r);
    pl__buf_printf(&b, "<footer>Written by parley %s.</footer>\n</body>\n</html>\n", pl_version());
    if (b.failed) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    *out = pl__buf_take(&b);
cleanup:
    pl__buf_destroy(&b);
    report_free(&r);
    return rc;
}

int pl_report_write(const char *dir, const char *path, pl_diag *d)
{
    char *html = NULL;
    int rc = pl_report_html(dir, &html, d);
    if (rc == 0) {
        rc = pl__write_file_atomic(path, html, strlen(html), d);
    }
    pl__free(html);
    return rc;
}
