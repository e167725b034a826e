/* What the ANAC agents share: the record of the opponent's offers and a bounded "best bid for the opponent" search
 * over the sorted outcome list (anac_internal.h). */
#include <string.h>

#include "agents/anac_internal.h"
#include "core/internal.h"
#include "agents/builtin.h"

/* `--agents anac`: every ANAC agent parley has, in the order `parley agents` lists them. */
static const char *const anac_group[] = {"hardheaded", "agentk", "agentk2", "nicetitfortat", "yushu", NULL};

const char *const *pl__agent_group(const char *name, size_t len)
{
    return len == 4 && strncmp(name, "anac", 4) == 0 ? anac_group : NULL;
}

int pl__anac_hist_init(pl__anac_hist *h, size_t ni, pl_diag *d)
{
    memset(h, 0, sizeof *h);
    h->ni = ni;
    h->best_u = -1;
    h->last = pl__calloc(ni ? ni : 1, sizeof *h->last);
    h->best = pl__calloc(ni ? ni : 1, sizeof *h->best);
    if (!h->last || !h->best) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

void pl__anac_hist_destroy(pl__anac_hist *h)
{
    pl__free(h->last);
    pl__free(h->best);
    memset(h, 0, sizeof *h);
}

void pl__anac_hist_add(pl__anac_hist *h, const uint32_t *offer, double u)
{
    if (h->n == 0) {
        h->first_u = u;
        h->prev_u = u;
    } else {
        h->prev_u = h->last_u;
    }
    h->n++;
    h->sum += u;
    h->sum2 += u * u;
    h->last_u = u;
    memcpy(h->last, offer, h->ni * sizeof *offer);
    if (u > h->best_u) {
        h->best_u = u;
        memcpy(h->best, offer, h->ni * sizeof *offer);
    }
}

double pl__anac_hist_mean(const pl__anac_hist *h)
{
    return h->n ? h->sum / (double)h->n : 0.0;
}

double pl__anac_hist_var(const pl__anac_hist *h)
{
    if (h->n == 0) {
        return 0.0;
    }
    double m = h->sum / (double)h->n, v = h->sum2 / (double)h->n - m * m;
    return v > 0 ? v : 0.0;
}

size_t pl__anac_best_for_opponent(const pl_sorted *s, const pl__freq_model *m, size_t party, size_t lo, size_t hi,
                                  size_t max_scan, uint32_t *tmp)
{
    size_t best = lo;
    double best_v = -1;
    for (size_t r = lo; r < hi && r - lo < max_scan; r++) {
        pl_sorted_outcome(s, r, tmp);
        double v = pl__anac_freq_eval(m, party, tmp);
        if (v > best_v + 1e-12) {
            best_v = v;
            best = r;
        }
    }
    return best;
}
