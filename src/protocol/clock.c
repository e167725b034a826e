/* The protocols' clock: wall-clock seconds for time limits, and the relative time of a round under each protocol's
 * convention (session.h). */
#include <time.h>

#include "protocol/protocol_internal.h"

double pl__now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Relative time of a round (see session.h). */
double pl__round_time(pl_protocol proto, uint64_t round, uint64_t rounds)
{
    if (rounds == 0) {
        return 0.0;
    }
    if (proto == PL_PROTOCOL_SAOP_GENIUS) {
        return (double)round / ((double)rounds + 1.0); /* rounds + 1 would wrap at UINT64_MAX */
    }
    return rounds > 1 ? (double)(round - 1) / (double)(rounds - 1) : 0.0;
}
