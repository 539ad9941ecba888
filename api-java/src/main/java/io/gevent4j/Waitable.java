package io.gevent4j;

import java.util.function.Consumer;

/**
 * gevent's wait protocol: an object that becomes <em>ready</em> once (a greenlet that died, an event that
 * is set, a semaphore with a free permit) and tells its links. {@link Gevent#wait} and {@link Gevent#iwait}
 * accept any Waitable.
 */
public interface Waitable {
    /**
     * Whether the object is ready now. Never blocks.
     *
     * @return true when ready
     */
    boolean isReady();

    /**
     * Registers a callback that runs <b>on a hub thread</b> (not in a greenlet) once the object is ready, in
     * registration order with the other links. Which hub: for a {@link Greenlet}, the greenlet's own hub; for every
     * other Waitable of gevent4j ({@code Event}, {@code AsyncResult}, {@code Semaphore}, {@code Popen}), the hub of
     * the caller that registers it ({@link Hub#current()}: its greenlet's hub, the hub whose thread calls, or, for a
     * thread of no hub, the default hub), whichever thread makes the object ready. When the object is ready
     * already, the callback runs in the next loop iteration, never synchronously. The callback must not block: a
     * blocking gevent4j call in it throws {@link BlockingSwitchOutException}. An exception it throws is reported
     * and does not stop the other callbacks. May be called from any thread.
     *
     * @param callback called with this object
     * @throws NullPointerException if {@code callback} is null
     */
    void rawlink(Consumer<? super Waitable> callback);

    /**
     * Removes a callback registered with {@code rawlink} (or a {@code link*} method, by the original
     * callback). Unknown callbacks are ignored. May be called from any thread.
     *
     * @param callback the callback to remove
     */
    void unlink(Consumer<? super Waitable> callback);
}
