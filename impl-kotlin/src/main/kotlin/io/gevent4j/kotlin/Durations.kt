package io.gevent4j.kotlin

import kotlin.time.Duration

/** Nanoseconds of an optional timeout (-1 for none or infinite); a negative one is refused at the call. */
internal fun timeoutNanos(timeout: Duration?, name: String = "timeout"): Long {
    if (timeout == null || timeout.isInfinite() && timeout.isPositive()) return -1
    require(!timeout.isNegative()) { "$name must not be negative: $timeout" }
    return timeout.inWholeNanoseconds
}
