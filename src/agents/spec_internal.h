/* What a spec (params.c) tells a protocol beyond the public accessors. Not installed. */
#ifndef PL_AGENTS_SPEC_INTERNAL_H
#define PL_AGENTS_SPEC_INTERNAL_H

#include "parley/agent.h"

/* For a spec whose type cannot vote: the names of the types that can, in the registry it was parsed from ("a, b"),
 * for the single-text protocol's refusal; "" otherwise. Owned by the spec. */
const char *pl__agent_spec_voters(const pl_agent_spec *s);

#endif
