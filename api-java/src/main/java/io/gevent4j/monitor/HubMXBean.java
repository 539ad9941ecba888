package io.gevent4j.monitor;

/**
 * One hub seen by JMX clients ({@code jconsole}, {@code jmxterm}, any {@code MBeanServerConnection}), registered in
 * the platform MBean server as {@code io.gevent4j:type=Hub,name=<hub name>} (quoted when the name needs it; a second
 * hub of the same name gets {@code ,id=<n>} as well). Registered shortly after the hub starts, by the monitor
 * thread, and unregistered when the hub's loop ends. The counts are read without the hub's help, so they may be a
 * moment old; none of the methods blocks on the hub except the operation {@link #formatRunInfo()}, which waits at most 100 ms.
 */
public interface HubMXBean {
    /** @return the hub's name */
    String getName();

    /** @return how the hub runs Java greenlets: {@code SCHEDULED_ON_HUB} or {@code HANDOFF} */
    String getMode();

    /** @return the greenlets started and not dead */
    int getLiveGreenlets();

    /** @return the tasks queued and not run yet */
    int getRunQueueLength();

    /** @return the timers armed and neither fired nor cancelled */
    int getArmedTimers();

    /** @return the tasks the hub has run (greenlet turns, callbacks, timers) */
    long getTasksRun();

    /** @return how many blocked-hub reports the monitor has made for this hub */
    long getBlockedReports();

    /** @return the maximum blocking time in seconds, or 0 when the monitor does not watch this hub */
    double getMaxBlockingTimeSeconds();

    /**
     * An operation (not an attribute: it walks the greenlets and their stacks), gevent's {@code format_run_info}
     * for this hub: its live greenlets with their states, spawn tree and stacks.
     * Asks the hub for its list and waits at most 100 ms for the answer; a blocked hub is read without its help.
     *
     * @return the run info, one line per element
     */
    String[] formatRunInfo();
}
