/* The mediated single-text protocol (Raiffa 1982; as an automated protocol: Klein, Faratin, Sayama & Bar-Yam 2003,
 * "Negotiating complex contracts", and GENIUS's flipping mediators). A mediator holds one text, a full outcome, and
 * each step proposes it with one issue changed; every party votes; the change stands only if no party rejects it.
 * At the end the text is the agreement if every party finds it acceptable.
 *
 * Invariant of the veto bookkeeping: (issue, value) is marked vetoed iff that change was proposed and rejected since
 * the text last changed; marks are generation stamps, so a change of the text clears them all in O(1). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "negotiation/negotiation_internal.h"
#include "protocol/protocol_internal.h"

typedef struct mediator {
    const pl_space *sp;
    const pl_ufun *u; /* the mediating party's utility function; NULL when neutral */
    pl_mediator_order order;
    int track; /* vetoed changes are skipped (systematic order, or a party mediator) */
    uint64_t rng;
    size_t *ch, n_ch;            /* changeable issues (at least two values), in issue order */
    size_t next;                 /* systematic: index into ch of the next issue to try */
    size_t *off, slots;          /* off[i]: first slot of issue i in stamp; slots in all */
    uint32_t *stamp;             /* per (issue, value) slot: == gen when vetoed on the current text */
    uint32_t *count_gen, *count; /* per issue: count[i] vetoed values when count_gen[i] == gen */
    uint32_t gen;
    uint64_t possible, vetoed; /* single-issue changes of any text, and those vetoed on the current one */
} mediator;

static void mediator_free(mediator *m)
{
    pl__free(m->ch);
    pl__free(m->off);
    pl__free(m->stamp);
    pl__free(m->count_gen);
    pl__free(m->count);
}

static int mediator_init(mediator *m, const pl__run *s)
{
    memset(m, 0, sizeof *m);
    const pl_session_options *o = s->o;
    m->sp = s->sp;
    m->u = o->mediator >= 0 ? pl_scenario_ufun(s->sc, (size_t)o->mediator) : NULL;
    m->order = o->mediator_order;
    m->track = o->mediator_order == PL_MEDIATOR_SYSTEMATIC || o->mediator >= 0;
    m->rng = s->seed;
    m->gen = 1;
    size_t ni = s->ni;
    m->ch = pl__malloc((ni ? ni : 1) * sizeof *m->ch);
    m->off = pl__malloc((ni ? ni : 1) * sizeof *m->off);
    m->count_gen = pl__calloc(ni ? ni : 1, sizeof *m->count_gen);
    m->count = pl__calloc(ni ? ni : 1, sizeof *m->count);
    if (!m->ch || !m->off || !m->count_gen || !m->count) {
        return PL_ENOMEM;
    }
    for (size_t i = 0; i < ni; i++) {
        uint32_t nv = pl_space_value_count(s->sp, i);
        m->off[i] = m->slots;
        m->slots += nv;
        if (nv >= 2) {
            m->ch[m->n_ch++] = i;
            m->possible += nv - 1;
        }
    }
    if (m->track) {
        m->stamp = pl__calloc(m->slots ? m->slots : 1, sizeof *m->stamp);
        if (!m->stamp) {
            return PL_ENOMEM;
        }
    }
    return 0;
}

static int is_vetoed(const mediator *m, size_t issue, uint32_t v)
{
    return m->stamp[m->off[issue] + v] == m->gen;
}

static uint32_t vetoed_on(const mediator *m, size_t issue)
{
    return m->count_gen[issue] == m->gen ? m->count[issue] : 0;
}

static void mark_vetoed(mediator *m, size_t issue, uint32_t v)
{
    m->stamp[m->off[issue] + v] = m->gen;
    m->count[issue] = vetoed_on(m, issue) + 1;
    m->count_gen[issue] = m->gen;
    m->vetoed++;
}

/* The text changed: forget every veto. */
static void text_changed(mediator *m)
{
    m->vetoed = 0;
    if (++m->gen == 0) { /* after 2^32 - 1 changes the stamps would alias: clear them once */
        if (m->stamp) {
            memset(m->stamp, 0, m->slots * sizeof *m->stamp);
        }
        memset(m->count_gen, 0, pl_space_issue_count(m->sp) * sizeof *m->count_gen);
        m->gen = 1;
    }
}

/* Uniform integer in [0, n), n >= 1. */
static uint32_t draw(mediator *m, uint32_t n)
{
    uint32_t k = (uint32_t)(pl__rand_unit(&m->rng) * (double)n);
    return k < n ? k : n - 1;
}

/* The new value the mediator proposes for issue i of text (the issue has a value not yet vetoed when tracking).
 * scratch: ni values. */
static uint32_t choose_value(mediator *m, const uint32_t *text, size_t i, uint32_t *scratch)
{
    uint32_t nv = pl_space_value_count(m->sp, i), cur = text[i];
    if (m->u) {
        /* A party mediator: the value that gives the text its own highest utility (the lowest index among ties). */
        memcpy(scratch, text, pl_space_issue_count(m->sp) * sizeof *scratch);
        uint32_t best = cur;
        double best_u = -INFINITY;
        for (uint32_t v = 0; v < nv; v++) {
            if (v == cur || is_vetoed(m, i, v)) {
                continue;
            }
            scratch[i] = v;
            double u = pl_ufun_eval(m->u, scratch);
            if (u > best_u) {
                best_u = u;
                best = v;
            }
        }
        return best;
    }
    if (!m->track) {
        /* Neutral, random order: uniform among the other values (Klein et al.'s random mutation). */
        uint32_t k = draw(m, nv - 1);
        return k >= cur ? k + 1 : k;
    }
    /* Neutral, systematic order: uniform among the other values not yet vetoed on this text. */
    uint32_t k = draw(m, nv - 1 - vetoed_on(m, i));
    for (uint32_t v = 0; v < nv; v++) {
        if (v != cur && !is_vetoed(m, i, v) && k-- == 0) {
            return v;
        }
    }
    return cur; /* unreachable while the bookkeeping holds */
}

/* Pick the change to propose: 0 with *issue and *value set, or 1 when there is nothing left to propose. */
static int mediator_pick(mediator *m, const uint32_t *text, uint32_t *scratch, size_t *issue, uint32_t *value)
{
    if (m->n_ch == 0 || (m->track && m->vetoed >= m->possible)) {
        return 1;
    }
    size_t first = m->order == PL_MEDIATOR_SYSTEMATIC ? m->next : (size_t)draw(m, (uint32_t)m->n_ch);
    for (size_t k = 0; k < m->n_ch; k++) {
        size_t j = (first + k) % m->n_ch, i = m->ch[j];
        if (m->track && vetoed_on(m, i) + 1 >= pl_space_value_count(m->sp, i)) {
            continue; /* every other value of this issue was vetoed on this text: the next issue */
        }
        m->next = (j + 1) % m->n_ch;
        *issue = i;
        *value = choose_value(m, text, i, scratch);
        return 0;
    }
    return 1;
}

/* Why a party does not accept the final text, into buf. */
static void unacceptable_why(const pl_ufun *u, const uint32_t *text, char *buf, size_t size)
{
    long line = pl_ufun_first_broken(u, text);
    if (line >= 0) {
        snprintf(buf, size, "breaks red line %ld", line);
    } else {
        snprintf(buf, size, "below its reservation value");
    }
}

int pl__single_text(pl__run *s, uint32_t *text, double t0, pl_diag *d)
{
    const pl_session_options *o = s->o;
    pl_session_result *r = s->r;
    size_t np = s->np, ni = s->ni;
    int rc = 0;
    mediator m;
    uint32_t *prop = pl__calloc(ni ? ni : 1, sizeof *prop);
    uint32_t *scratch = pl__calloc(ni ? ni : 1, sizeof *scratch);
    int *votes = pl__calloc(np, sizeof *votes);
    double *utils = pl__calloc(np, sizeof *utils);
    if (mediator_init(&m, s) < 0 || !prop || !scratch || !votes || !utils) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    /* The initial text: the status quo where the scenario has one, else each issue's first value. */
    for (size_t i = 0; i < ni; i++) {
        uint32_t sq = pl_scenario_status_quo(s->sc, i);
        text[i] = sq != PL_NO_VALUE ? sq : 0;
    }
    size_t proposer = o->mediator >= 0 ? (size_t)o->mediator : PL_MEDIATOR_NEUTRAL;
    const char *ended = ""; /* why the talks ended before the deadline, if they did */
    int over = 0;           /* a violation ended the session */
    double t = 0;
    for (uint64_t step = 1;; step++) {
        if (o->rounds && step > o->rounds) {
            break;
        }
        t = pl__round_time(PL_PROTOCOL_SINGLE_TEXT, step, o->rounds);
        if (o->time_limit > 0) {
            double tt = (pl__now_seconds() - t0) / o->time_limit;
            if (tt >= 1.0) {
                ended = "; the time limit was reached";
                t = r->t;
                break;
            }
            t = tt > t ? tt : t;
        }
        size_t issue;
        uint32_t value;
        if (mediator_pick(&m, text, scratch, &issue, &value)) {
            r->stable = 1;
            ended = m.n_ch ? "; the text was stable: every single-issue change was vetoed"
                           : "; no issue has a second value: nothing to propose";
            t = r->t;
            break;
        }
        memcpy(prop, text, ni * sizeof *prop);
        prop[issue] = value;
        r->rounds = step;
        r->t = t;
        pl_vote vt = {step, t, text, prop, issue, proposer};
        int all = 1;
        for (size_t p = 0; p < np; p++) {
            pl_diag ad;
            ad.message[0] = '\0';
            int acc = 0;
            int arc = s->types[p]->vote(s->self[p], &vt, &acc, &ad);
            if (arc == PL_ENOMEM) { /* the process's failure, not the agent's */
                rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
                goto cleanup;
            }
            if (arc < 0) {
                pl__run_violation(s, p, "vote failed", &ad);
                over = 1;
                break;
            }
            if (acc != 0 && acc != 1) {
                pl__run_violation(s, p, "answered with an unknown vote", NULL);
                over = 1;
                break;
            }
            votes[p] = acc;
            all &= acc;
            r->actions++;
        }
        if (over) {
            break;
        }
        if (o->on_action) {
            for (size_t p = 0; p < np; p++) {
                utils[p] = pl_ufun_eval(pl_scenario_ufun(s->sc, p), prop);
            }
            pl_action_record rec = {
                step, t, proposer, PL_ACTION_PROPOSE, prop, NAN, NAN, issue, text[issue], value, votes, utils, all};
            if (m.u) {
                rec.utility = utils[proposer];
                rec.discounted = rec.utility * pow(pl_ufun_discount_effective(m.u), t);
            }
            o->on_action(o->action_ud, &rec);
        }
        if (all) {
            memcpy(text, prop, ni * sizeof *prop); /* text is the caller's buffer: copy, not swap */
            r->changes++;
            text_changed(&m);
        } else if (m.track) {
            mark_vetoed(&m, issue, value);
            if (m.vetoed >= m.possible) {
                r->stable = 1;
                ended = "; the text was stable: every single-issue change was vetoed";
                break;
            }
        }
    }
    r->final_text = pl__malloc((ni ? ni : 1) * sizeof *r->final_text);
    if (!r->final_text) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    memcpy(r->final_text, text, ni * sizeof *text);
    if (over) {
        goto cleanup;
    }
    /* The deadline (or the early end): the text is the agreement iff every party accepts it. */
    size_t refusing = 0, first = 0;
    for (size_t p = 0; p < np; p++) {
        if (!pl_ufun_acceptable(pl_scenario_ufun(s->sc, p), text)) {
            first = refusing++ ? first : p;
        }
    }
    unsigned long long steps = (unsigned long long)r->rounds, changes = (unsigned long long)r->changes;
    if (refusing == 0) {
        r->status = PL_SESSION_AGREEMENT;
        snprintf(r->reason, sizeof r->reason,
                 "final text acceptable to every party after %llu step%s, %llu change%s stood%.64s", steps,
                 steps == 1 ? "" : "s", changes, changes == 1 ? "" : "s", ended);
    } else {
        char why[40];
        unacceptable_why(pl_scenario_ufun(s->sc, first), text, why, sizeof why);
        r->status = PL_SESSION_DEADLINE;
        snprintf(r->reason, sizeof r->reason,
                 "final text not acceptable to %.40s%s (%s) after %llu step%s, %llu change%s stood%.64s",
                 pl_scenario_party_name(s->sc, first), refusing > 1 ? " and others" : "", why, steps,
                 steps == 1 ? "" : "s", changes, changes == 1 ? "" : "s", ended);
    }
cleanup:
    mediator_free(&m);
    pl__free(prop);
    pl__free(scratch);
    pl__free(votes);
    pl__free(utils);
    return rc;
}
