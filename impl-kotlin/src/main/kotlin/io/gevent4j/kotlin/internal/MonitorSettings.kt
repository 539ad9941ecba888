package io.gevent4j.kotlin.internal

/**
 * The monitor's settings of one hub, read from system properties when the hub is created (gevent's
 * `config.monitor_thread` and `config.max_blocking_time`, MON-01):
 * - `gevent4j.monitor`: `true` or `false` (any case); default `true` (gevent's default is off: deviations.md);
 * - `gevent4j.maxBlockingTime`: seconds, a positive decimal number; default `1` (gevent's default is 0.1);
 * - `gevent4j.hub.watchdog.millis`: the older alias, whole milliseconds, `0` turning the monitor off; read only when
 *   `gevent4j.maxBlockingTime` is not set (which wins when both are), and `gevent4j.monitor=false` beats both.
 *
 * A bad value fails the hub's creation with an [IllegalArgumentException] naming the property and the value.
 */
internal class MonitorSettings(
    /** Whether the monitor thread samples this hub. */
    @JvmField val enabled: Boolean,
    /** The maximum blocking time; also the period of the repeated reports of one stall. */
    @JvmField val maxBlockingNanos: Long,
) {
    /** How often the monitor samples this hub: a quarter of the period, between 1 ms and 250 ms. */
    val sampleNanos: Long
        get() = (maxBlockingNanos / 4).coerceIn(1_000_000L, 250_000_000L)

    companion object {
        const val MONITOR: String = "gevent4j.monitor"
        const val MAX_BLOCKING_TIME: String = "gevent4j.maxBlockingTime"
        const val ALIAS_MILLIS: String = "gevent4j.hub.watchdog.millis"
        private const val DEFAULT_NANOS = 1_000_000_000L

        fun read(): MonitorSettings =
            parse(System.getProperty(MONITOR), System.getProperty(MAX_BLOCKING_TIME), System.getProperty(ALIAS_MILLIS))

        fun parse(monitor: String?, maxBlockingTime: String?, aliasMillis: String?): MonitorSettings {
            val on =
                when (monitor?.trim()?.lowercase()) {
                    null,
                    "true" -> true
                    "false" -> false
                    else -> throw IllegalArgumentException("$MONITOR must be true or false: \"$monitor\"")
                }
            var nanos = DEFAULT_NANOS
            var enabled = on
            if (maxBlockingTime != null) {
                val s = maxBlockingTime.trim().toDoubleOrNull()
                require(s != null && s.isFinite() && s > 0) {
                    "$MAX_BLOCKING_TIME must be a positive number of seconds (such as 0.1): \"$maxBlockingTime\""
                }
                nanos = (s * 1e9).toLong().coerceAtLeast(1L) // a huge value saturates: never reported
            } else if (aliasMillis != null) {
                val ms = aliasMillis.trim().toLongOrNull()
                require(ms != null && ms >= 0) {
                    "$ALIAS_MILLIS must be a whole number of milliseconds >= 0 (0 turns the monitor off): \"$aliasMillis\""
                }
                if (ms == 0L) enabled = false
                else nanos = if (ms >= Long.MAX_VALUE / 1_000_000L) Long.MAX_VALUE else ms * 1_000_000L
            }
            return MonitorSettings(enabled, nanos)
        }
    }
}
