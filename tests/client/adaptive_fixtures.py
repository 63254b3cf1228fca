#!/usr/bin/env python3
"""Reference behaviour of the adaptive retry mode's client-side rate limiter, computed by
botocore (its retries/adaptive.py, throttling.py and bucket.py), for the runtime crate's test
codegen/runtime/src/tests/rate_limit.rs.

A fake clock drives botocore's ClientRateLimiter through scripted scenarios of attempts
("send") and responses ("recv", throttled or not). Before each send the script records how
long botocore's token bucket would make the attempt wait (then moves the clock past the wait,
as a waiting client would); after each response it records the measured send rate and the
bucket's fill rate and capacity. The Rust test replays the same events, at the same times,
through the runtime's RateLimiter and compares every number.

    python3 tests/client/adaptive_fixtures.py   # rewrites tests/client/adaptive_fixtures.json
"""

import json
import os
import random

import botocore
from botocore.retries import adaptive, bucket, throttling


class FakeClock(bucket.Clock):
    def __init__(self, now):
        self.now = now

    def sleep(self, amount):
        self.now += amount

    def current_time(self):
        return self.now


class Detector:
    """Says whether the response being recorded is a throttling error (the script decides)."""

    def __init__(self):
        self.throttled = False

    def is_throttling_error(self, **kwargs):
        return self.throttled


def run(name, start, steps):
    """steps: (gap in seconds, throttled) per attempt: the attempt is sent `gap` after the
    previous response (or later, if the bucket makes it wait) and answered at once."""
    clock = FakeClock(start)
    detector = Detector()
    limiter = adaptive.ClientRateLimiter(
        rate_adjustor=throttling.CubicCalculator(starting_max_rate=0, start_time=start),
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=bucket.TokenBucket(max_rate=1, clock=clock),
        throttling_detector=detector,
        clock=clock,
    )
    token_bucket = limiter._token_bucket
    events = []
    for gap, throttled in steps:
        clock.now += gap
        wait = 0.0
        if limiter._enabled:
            # What acquire() would block for, then the client sleeps that long.
            token_bucket._refill()
            if token_bucket.available_capacity < 1:
                wait = token_bucket._sleep_amount(1)
        events.append({"send": clock.now, "wait": wait})
        # A hair past the wait, so the bucket holds a whole token despite rounding.
        clock.now += wait + 1e-6 if wait > 0 else 0.0
        limiter.on_sending_request(request=None)
        detector.throttled = throttled
        limiter.on_receiving_response()
        events.append(
            {
                "recv": clock.now,
                "throttled": throttled,
                "measured_rate": limiter._rate_clocker.measured_rate,
                "fill_rate": token_bucket.max_rate,
                "max_capacity": token_bucket.max_capacity,
            }
        )
    return {"name": name, "start": start, "events": events}


def main():
    start = 1_767_323_045.25
    rng = random.Random(12)
    scenarios = [
        run("steady successes", start, [(0.05, False)] * 40),
        run("one throttle then recovery", start, [(0.1, False)] * 10 + [(0.1, True)] + [(0.1, False)] * 30),
        run(
            "bursts of throttling",
            start,
            ([(0.02, False)] * 20 + [(0.02, True)] * 5) * 3 + [(0.5, False)] * 10,
        ),
        run(
            "random",
            start,
            [(rng.choice([0.0, 0.01, 0.1, 0.3, 1.0]), rng.random() < 0.3) for _ in range(120)],
        ),
    ]
    out = {"botocore": botocore.__version__, "scenarios": scenarios}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "adaptive_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
