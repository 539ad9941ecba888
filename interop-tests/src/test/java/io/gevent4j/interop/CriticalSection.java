package io.gevent4j.interop;

/**
 * Deliberately unsynchronised: read, spin 0.5 us, write back. Only the single-runner rule of a hub keeps
 * {@link #counter} exact and {@link #overlaps} at zero.
 */
public final class CriticalSection {
    long counter;
    boolean inside;
    int overlaps;

    /** Enters and leaves the section once, counting one step. */
    public void enter() {
        if (inside) {
            overlaps++;
        }
        inside = true;
        long c = counter;
        long spinUntil = System.nanoTime() + 500;
        while (System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        counter = c + 1;
        inside = false;
    }
}
