"""Reconnect delays: exponential, capped, with "equal jitter" so a fleet does not reconnect in lockstep."""

import random as _random


class Backoff:
    """Delays in seconds; the same defaults as the TypeScript SDK and the console (0.5 s doubling to 2 s:
    back within 2 s of a fault's end, so caught up within 3 s, docs/protocol.md "Catching up")."""

    def __init__(self, initial=0.5, maximum=2.0, factor=2.0, jitter=0.5, random=_random.random):
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
        self._random = random
        self.attempts = 0

    def next(self):
        """The next delay: base = min(max, initial * factor^n), drawn from [base * (1 - jitter), base]."""
        base = min(self.maximum, self.initial * self.factor ** self.attempts)
        self.attempts += 1
        return base * (1 - self.jitter * self._random())

    def reset(self):
        self.attempts = 0
