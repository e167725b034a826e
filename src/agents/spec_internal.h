/* What a spec (params.c) tells a protocol beyond the public accessors. Not installed. */
#ifndef PL_AGENTS_SPEC_INTERNAL_H
#define PL_AGENTS_SPEC_INTERNAL_H

#include "parley/agent.h"

/* For a spec whose type cannot vote: the names of the types that can, in the registry it was parsed from ("a, b"),
 * for the single-text protocol's refusal; "" otherwise. Owned by the spec. */
const char *pl__agent_spec_voters(const pl_agent_spec *s);

/* A copy of s that plays type instead (the isolated child's call-recording wrapper): it shares s's text, parameters
 * and voters, so free it with pl__free only, before s. NULL on ENOMEM. */
pl_agent_spec *pl__agent_spec_retyped(const pl_agent_spec *s, const pl_agent_type *type);

#endif
