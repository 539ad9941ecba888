/**
 * gevent's monitor thread (section 12 of the spec): each hub is watched by a daemon thread that reports a hub held
 * by one greenlet (or one hub callback) for longer than the maximum blocking time, through the logger
 * {@code io.gevent4j.Hub} and to the listeners registered with {@link io.gevent4j.Hub#onBlocked}, which receive a
 * {@link io.gevent4j.monitor.HubBlocked}. Settings, read by each hub when it is created: the system properties
 * {@code gevent4j.monitor} ({@code true} or {@code false}, default {@code true}) and {@code gevent4j.maxBlockingTime}
 * (seconds, default {@code 1}); {@code gevent4j.hub.watchdog.millis} is an older alias of the latter. Each hub is
 * also visible to JMX clients as a {@link io.gevent4j.monitor.HubMXBean}. See {@code docs/operations.md}.
 */
@NullMarked
package io.gevent4j.monitor;

import org.jspecify.annotations.NullMarked;
