/* The built-in agents, in the order `parley agents` lists them. */
#include "agents/agents_internal.h"
#include "agents/builtin.h"
#include "agents/anac_internal.h"

const pl_agent_type *const pl__builtin_agents[] = {
    &pl__agent_boulware, &pl__agent_linear, &pl__agent_conceder, &pl__agent_timebased,
    &pl__agent_hardliner, &pl__agent_random, &pl__agent_tit_for_tat, &pl__agent_aspiration, &pl__agent_micro,
    &pl__agent_boa,
    &pl__agent_genius_boulware, &pl__agent_genius_conceder, &pl__agent_genius_linear, &pl__agent_genius_timedependent,
    &pl__agent_hill_climber, &pl__agent_annealer,
    &pl__agent_hardheaded, &pl__agent_agentk, &pl__agent_agentk2, &pl__agent_nicetitfortat,
    &pl__agent_yushu,
};
const size_t pl__builtin_agent_count = sizeof pl__builtin_agents / sizeof pl__builtin_agents[0];
