/* Naive tit-for-tat (Faratin, Sierra & Jennings 1998, relative tit-for-tat; Baarslag, Hindriks & Jonker 2013, "A tit
 * for tat negotiation strategy for real-time bilateral negotiations"): open with the best outcome, then mirror the
 * opponent's last concession as measured in the agent's own utility. Invariant: target stays in
 * [min(max(rv, lowest utility), best), best]. */
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

/* Targets are sums of many utility differences; rounding must not push the target just above the utility it should
 * land on (0.7000000000000001 for 0.7) and make the agent skip an outcome. Utilities within this are equal. */
#define TFT_EPS 1e-9

typedef struct tft {
    pl__core core;
    double floor;      /* lowest target: max(reservation, lowest utility), never above best */
    double target;     /* current target utility */
    size_t rank;       /* the rank offered at the current target */
    double last, prev; /* own utilities of the last two offers received */
    int received;      /* offers received so far, capped at 2 */
} tft;

static int tft_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    tft *a;
    int rc = pl__core_agent_new(sizeof *a, v, (void **)&a, d);
    if (rc < 0) {
        return rc;
    }
    double lowest = a->core.su[a->core.n - 1];
    a->floor = a->core.rv > lowest ? a->core.rv : lowest;
    if (a->floor > a->core.best) {
        a->floor = a->core.best;
    }
    a->target = a->core.best;
    a->rank = 0;
    *self = a;
    return 0;
}

/* Each offer on the table is seen here once (the protocol asks every party at most once per offer), so this is where
 * the opponent's concession is measured and the target moved. */
static int tft_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    tft *a = self;
    double theirs = pl_ufun_eval(a->core.u, tn->offer);
    a->prev = a->last;
    a->last = theirs;
    if (a->received < 2) {
        a->received++;
    }
    if (a->received == 2) {
        double target = a->target - (a->last - a->prev);
        target = target < a->floor ? a->floor : target > a->core.best ? a->core.best : target;
        if (target != a->target) {
            a->target = target;
            double aim = target - TFT_EPS;
            a->rank = pl__core_rank(&a->core, aim < a->floor ? a->floor : aim);
        }
    }
    /* AC_next: accept what is at least as good as the offer it would make now. */
    *resp = pl__core_acceptable(&a->core, theirs, a->core.su[a->rank]) ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int tft_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    tft *a = self;
    pl_sorted_outcome(a->core.sorted, a->rank, outcome);
    return 0;
}

static void tft_free(void *self)
{
    pl__free(self);
}

const pl_agent_type pl__agent_tit_for_tat = {PL_AGENT_API_VERSION,
                                             "tit-for-tat",
                                             "naive tit-for-tat (Baarslag et al. 2013): mirrors the opponent's last "
                                             "concession in its own utility; AC_next acceptance",
                                             NULL,
                                             0,
                                             tft_start,
                                             tft_respond,
                                             tft_propose,
                                             NULL,
                                             tft_free,
                                             NULL};
