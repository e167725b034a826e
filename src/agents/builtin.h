/* The table of built-in agent types (builtin.c), read by the registry (and agent lists, for groups): protocols get agents through the
 * registry and the specs they are handed. Not installed. */
#ifndef PL_AGENTS_BUILTIN_H
#define PL_AGENTS_BUILTIN_H

#include <stddef.h>

#include "parley/agent.h"

/* Built-in agent types, in the order `parley agents` lists them. */
extern const pl_agent_type *const pl__builtin_agents[];
extern const size_t pl__builtin_agent_count;
/* The members of a named group of built-in agents (name[0..len), e.g. "anac"), NULL-terminated, or NULL when the
 * name is not a group (anac_common.c). Agent lists (params.c) expand groups. */
const char *const *pl__agent_group(const char *name, size_t len);

#endif
