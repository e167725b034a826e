"""Agents written in Python."""
import enum
import random


class Response(enum.IntEnum):
    """What an agent answers to the offer on the table (the values of libparley's pl_response)."""

    REJECT = 0
    ACCEPT = 1
    END = 2

    def __repr__(self):
        return "parley." + self.name


ACCEPT = Response.ACCEPT
REJECT = Response.REJECT
END = Response.END


class Agent:
    """Base class of agents written in Python.

    Override propose(turn) (return an outcome: a dict issue -> value label, or a tuple of value indices) and
    respond(turn) (return parley.ACCEPT, parley.REJECT or parley.END); optionally on_start() and observe(event).
    During a session these are set: party (index), party_name, n_parties, rounds (the deadline, 0 = none),
    time_limit, scenario (a parley.Scenario), seed and rng (a random.Random seeded from the session seed).

    turn has round (1-based), turn, t (relative time in [0, 1]), offer (dict or None), offer_indices, offerer,
    accepts; event has party, action ('offer', 'accept', 'end'), outcome, round, t.

    An exception raised by a callback ends the session as this agent's protocol violation, with the exception's
    last line as the reason; KeyboardInterrupt stops the session and propagates.
    """

    #: The name the agent has in results (agent specs, JSON, tournaments). Default: the class name in lowercase.
    name = None

    def on_start(self):
        """Called once at the start of a session, after party, rounds, scenario, rng, ... are set."""

    def propose(self, turn):
        """Return an offer. Default: this party's best outcome."""
        return self.outcomes_by_utility(indices=True)[0][1]

    def respond(self, turn):
        """Return parley.ACCEPT, parley.REJECT or parley.END. Default: reject."""
        return REJECT

    def observe(self, event):
        """Another party acted (called only when overridden)."""

    # ---- helpers ----

    def utility(self, outcome):
        """This party's undiscounted utility of an outcome (dict issue -> label, or value indices)."""
        return self._view.utility(self.scenario._indices(outcome))

    def outcomes_by_utility(self, indices=False):
        """This party's outcomes as a list of (utility, outcome), best first (ties in ascending outcome index), the
        same list the built-in agents use; built once per scenario and party and shared (do not modify it).
        outcome is a dict, or with indices=True a tuple of value indices. For spaces beyond libparley's sorted limit
        (4,000,000 outcomes) the list is a candidate set (docs/agents.md)."""
        cache = self.scenario._sorted_cache
        key = (self.party, bool(indices))
        got = cache.get(key)
        if got is None:
            raw = cache.get((self.party, "raw"))
            if raw is None:
                us, outs, _complete = self._view.sorted()
                raw = cache[(self.party, "raw")] = (us, outs)
            us, outs = raw
            if indices:
                got = list(zip(us, outs))
            else:
                as_dict = self.scenario._outcome_dict
                got = [(u, as_dict(o)) for u, o in zip(us, outs)]
            cache[key] = got
        return got

    def rank_at_least(self, target, hint=0):
        """In this party's sorted outcome list (outcomes_by_utility), the highest rank whose utility is >= target,
        or -1 when every utility is below it; fast (libparley's galloping search, no Python list is built). hint: a
        rank near the answer (e.g. the previous answer)."""
        return self._view.rank_at_least(float(target), int(hint))

    def at_rank(self, rank, indices=False):
        """(utility, first rank of the group of equal utility, outcome) at a rank of this party's sorted list;
        outcome is a dict, or with indices=True a tuple of value indices."""
        u, first, o = self._view.at_rank(rank)
        return u, first, (o if indices else self.scenario._outcome_dict(o))

    def n_ranked(self):
        """How many outcomes this party's sorted list holds (all of them unless the space is beyond the library's
        sorted limit, when it is a candidate set)."""
        return self._view.count()[0]

    def __repr__(self):
        party = getattr(self, "party", None)
        where = "" if party is None else " party=%d" % party
        return "<%s %s%s>" % (type(self).__name__, agent_name(self), where)

    # ---- called by the binding ----

    def _parley_start(self, view, party, n_parties, rounds, seed, time_limit, party_name):
        self._view = view
        self.party = party
        self.n_parties = n_parties
        self.rounds = rounds
        self.seed = seed
        self.time_limit = time_limit
        self.party_name = party_name
        self.rng = random.Random(seed)
        self.on_start()
        observe = self.observe if type(self).observe is not Agent.observe else None
        return self.respond, self.propose, observe


def agent_name(agent):
    """The name a Python agent (class or instance) has in results."""
    cls = agent if isinstance(agent, type) else type(agent)
    name = getattr(agent, "name", None) or cls.__name__
    out = []
    for ch in name.lower():
        out.append(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_")
    return "".join(out) or "python"
