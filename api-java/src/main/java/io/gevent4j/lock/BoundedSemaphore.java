package io.gevent4j.lock;

/**
 * gevent's {@code BoundedSemaphore}: a {@link Semaphore} that refuses a release past its initial value
 * (SEM-04).
 */
public class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** One permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * @param value the initial (and highest) number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * @return the new counter
     * @throws IllegalStateException when the counter is at its initial value already
     */
    @Override
    public int release() {
        return peer.release(bound);
    }
}
