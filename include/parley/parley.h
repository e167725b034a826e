/* parley: a negotiation engine. Umbrella header.
 * Ownership: functions borrow their arguments; what a _new, _load or _copy function returns belongs to the caller,
 * who frees it with the matching _free. Exceptions say "takes ownership". */
#ifndef PARLEY_H
#define PARLEY_H

#define PL_VERSION_MAJOR 0
#define PL_VERSION_MINOR 1
#define PL_VERSION_PATCH 0
#define PL_VERSION_STRING "0.1.0"

#include "parley/agent.h"
#include "parley/alloc.h"
#include "parley/analysis.h"
#include "parley/report.h"
#include "parley/whatif.h"
#include "parley/uncertainty.h"
#include "parley/error.h"
#include "parley/game.h"
#include "parley/names.h"
#include "parley/record.h"
#include "parley/scenario.h"
#include "parley/session.h"
#include "parley/tournament.h"
#include "parley/space.h"
#include "parley/ufun.h"

/* The library's version string (may differ from PL_VERSION_STRING if headers and library mismatch). */
PL_API const char *pl_version(void);

#endif
