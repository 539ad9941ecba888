package io.gevent4j.spi;

import io.gevent4j.GreenCallable;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.Waitable;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the service an implementation of gevent4j registers in
 * {@code META-INF/services/io.gevent4j.spi.GeventProvider}. Users never call it; they use
 * {@link io.gevent4j.Gevent}, {@link Greenlet}, {@link Hub} and {@link Timeout}.
 *
 * <p>Timeouts are passed as nanoseconds; a negative value means "no timeout". The public API has already
 * validated every argument when a method here is called.
 */
public interface GeventProvider {
    /** The version of this interface; a provider reporting another one is rejected. */
    int SPI_VERSION = 1;

    /** @return {@link #SPI_VERSION} as compiled into the provider */
    int spiVersion();

    /** @return a short name of the implementation, for messages */
    String name();

    /** @return the process-wide hub, started on first use */
    Hub defaultHub();

    /** @return the calling greenlet's hub, else the hub whose thread calls, else {@link #defaultHub()} */
    Hub currentHub();

    /**
     * @param name the hub's name, also its thread's name
     * @return a new single-threaded hub
     */
    Hub createHub(String name);

    /**
     * Creates the implementation side of a greenlet that is being constructed.
     *
     * @param owner the greenlet under construction (do not call its methods yet)
     * @param hub the hub it belongs to
     * @param body what it runs
     * @param <T> the result type
     * @return the peer every method of {@code owner} delegates to
     */
    <T extends @Nullable Object> GreenletPeer<T> newGreenlet(Greenlet<T> owner, Hub hub, GreenCallable<T> body);

    /**
     * @param owner the Event being constructed
     * @return its peer
     */
    EventPeer newEvent(io.gevent4j.event.Event owner);

    /**
     * @param owner the AsyncResult being constructed (passed to rawlink callbacks)
     * @param <T> the value type
     * @return a new AsyncResult peer
     */
    <T extends @Nullable Object> AsyncResultPeer<T> newAsyncResult(io.gevent4j.Waitable owner);

    /**
     * @param owner the Semaphore being constructed (passed to rawlink callbacks)
     * @param value the initial counter
     * @return a new Semaphore peer
     */
    SemaphorePeer newSemaphore(io.gevent4j.Waitable owner, int value);

    /** @return a new RLock peer */
    RLockPeer newRLock();

    /**
     * @param kind the queue kind
     * @param maxsize the bound, {@code <= 0} for none
     * @param comparator for {@link QueueKind#PRIORITY}: the order, or null for natural order
     * @param <T> the item type
     * @return a new queue peer
     */
    <T extends @Nullable Object> QueuePeer<T> newQueue(
            QueueKind kind, int maxsize, java.util.@Nullable Comparator<? super T> comparator);

    /**
     * @param size the number of slots of a {@link io.gevent4j.pool.Pool}, -1 for a Group or an unbounded Pool
     * @return a new group peer
     */
    GroupPeer newGroup(int size);

    /**
     * @param size the number of slots, not negative
     * @return a new GreenPool peer
     */
    GreenPoolPeer newGreenPool(int size);

    /**
     * @param pool the pool the pile spawns into (its peer is this provider's)
     * @param <T> the result type
     * @return a new GreenPile peer
     */
    <T extends @Nullable Object> GreenPilePeer<T> newGreenPile(io.gevent4j.pool.GreenPool pool);

    /**
     * @param maxsize the most tasks in flight at once, {@code >= 1}
     * @param hub the hub the results are delivered to
     * @param name the pool's name, the prefix of its worker threads' names
     * @return a new thread pool peer
     * @throws IllegalStateException if {@code hub} is closed
     */
    ThreadPoolPeer newThreadPool(int maxsize, Hub hub, String name);

    /**
     * The per-greenlet map behind {@link io.gevent4j.local.GreenletLocal}: the calling greenlet's (Java or
     * Kotlin), emptied when it dies; null outside every greenlet.
     *
     * @return the map, or null
     */
    java.util.@Nullable Map<Object, Object> currentLocals();

    /** @return the greenlet that calls, Java or Kotlin, or null outside every greenlet */
    @Nullable
    Greenlet<?> getcurrent();

    /**
     * gevent's {@code format_run_info}: every hub, its live greenlets (name, kind, state), the spawn tree and each
     * greenlet's own stack, as lines of text. Any thread; it never blocks a hub thread.
     *
     * @return the lines, never empty
     */
    List<String> formatRunInfo();

    /**
     * Refuses a wait the caller cannot make: on a hub thread outside a Java greenlet (a Kotlin greenlet, a rawlink
     * callback, a hub task) it throws {@link io.gevent4j.BlockingSwitchOutException} naming {@code op} and its
     * suspend twin; anywhere else (a Java greenlet, a thread of no hub) it returns. Composite objects (the pools)
     * call it before their first side effect, so that the error names their own operation rather than that of
     * the primitive they wait on.
     *
     * @param op the blocking operation, e.g. {@code "Pool.add"}
     * @param twin its suspend twin in {@code io.gevent4j.kotlin}, e.g. {@code "Pool.awaitAdd"}
     */
    void checkMayBlock(String op, String twin);

    /**
     * gevent's {@code sleep}: blocks the caller (cooperatively in a greenlet).
     *
     * @param nanos how long; {@code <= 0} yields once, behind every greenlet that is runnable already
     */
    void sleep(long nanos);

    /** gevent's {@code idle}: waits until the hub has nothing else to run. */
    void idle();

    /**
     * Arms a timeout for the calling greenlet (or thread).
     *
     * @param owner the Timeout being started
     * @param toRaise what to raise in the caller when it expires
     * @param nanos the delay, {@code >= 0}
     * @return a handle to cancel it and ask whether it is pending
     */
    TimeoutHandle startTimeout(Timeout owner, Throwable toRaise, long nanos);

    /**
     * gevent's {@code wait(objects, timeout, count)}.
     *
     * @param objects the objects
     * @param timeoutNanos the timeout, negative for none
     * @param count how many to wait for, {@code <= 0} for all
     * @param <W> the element type
     * @return the ready objects, in the order they became ready
     */
    <W extends Waitable> List<W> wait(Collection<W> objects, long timeoutNanos, int count);

    /**
     * gevent's {@code iwait(objects, timeout, count)}.
     *
     * @param objects the objects
     * @param timeoutNanos the timeout, negative for none
     * @param count how many to yield, {@code <= 0} for all
     * @param <W> the element type
     * @return an iterator whose {@code hasNext} blocks until the next object is ready
     */
    <W extends Waitable> Iterator<W> iwait(Collection<W> objects, long timeoutNanos, int count);

    /**
     * gevent's {@code joinall}.
     *
     * @param greenlets the greenlets
     * @param timeoutNanos the timeout, negative for none
     * @param raiseError whether to raise the first failure (in completion order)
     * @param count how many to wait for, {@code <= 0} for all
     * @return the greenlets that finished, in completion order
     */
    List<Greenlet<?>> joinAll(
            Collection<? extends Greenlet<?>> greenlets, long timeoutNanos, boolean raiseError, int count);

    /**
     * gevent's {@code killall}.
     *
     * @param greenlets the greenlets
     * @param exception what to raise in each
     * @param block whether to wait until all are dead
     * @param timeoutNanos how long to wait, negative for ever; on expiry a {@link Timeout} is thrown
     */
    void killAll(Collection<? extends Greenlet<?>> greenlets, Throwable exception, boolean block, long timeoutNanos);

    /**
     * Connects a new TCP socket (a wait point).
     *
     * @param address where to
     * @param timeoutNanos negative for none
     * @return the connected socket's peer
     * @throws java.io.IOException {@link java.net.ConnectException}, {@link java.net.SocketTimeoutException}, ...
     */
    SocketPeer connect(java.net.InetSocketAddress address, long timeoutNanos) throws java.io.IOException;

    /**
     * Looks {@code host} up off the hub thread, then connects to the first address that answers (a wait point).
     *
     * @param host a name or a literal address
     * @param port 0..65535
     * @param timeoutNanos for the whole call, negative for none
     * @return the connected socket's peer
     * @throws java.io.IOException {@link java.net.UnknownHostException}, {@link java.net.ConnectException}, ...
     */
    SocketPeer connect(String host, int port, long timeoutNanos) throws java.io.IOException;

    /**
     * Takes over a connected channel (made non-blocking).
     *
     * @param connected the channel
     * @return its peer
     * @throws java.io.IOException from {@code configureBlocking}
     */
    SocketPeer wrapSocket(java.nio.channels.SocketChannel connected) throws java.io.IOException;

    /**
     * Opens a listening socket with {@code SO_REUSEADDR}.
     *
     * @param address where to listen
     * @param backlog the backlog, {@code <= 0} for the JDK's default
     * @return its peer
     * @throws java.io.IOException a {@link java.net.BindException} naming the address when it is in use
     */
    ServerSocketPeer listen(java.net.InetSocketAddress address, int backlog) throws java.io.IOException;

    /**
     * Starts a child process for a {@link io.gevent4j.subprocess.Popen} (gevent.subprocess).
     *
     * @param owner the Popen being constructed (passed to rawlink callbacks; do not call its methods yet)
     * @param builder the command, directory, environment and redirects; {@code Redirect.PIPE} makes a
     *     cooperative pipe
     * @return the peer of the started child
     * @throws java.io.IOException when the child cannot be started (a missing program: SP-07)
     */
    PopenPeer newPopen(Waitable owner, ProcessBuilder builder) throws java.io.IOException;

    /**
     * Creates the implementation side of a {@link io.gevent4j.server.StreamServer}: exactly one of
     * {@code address} and {@code listener} is given. Nothing is bound or started yet.
     *
     * @param address where to listen once started (the address form), or null
     * @param listener a listening socket's peer (the listener form), or null
     * @param handle the handler run in a new Java greenlet per connection
     * @param spawn the group (a {@link io.gevent4j.pool.Pool} bounds the connections), or null for none
     * @return the server's peer
     */
    StreamServerPeer newStreamServer(
            java.net.@Nullable InetSocketAddress address,
            @Nullable ServerSocketPeer listener,
            io.gevent4j.server.StreamServer.Handler handle,
            io.gevent4j.pool.@Nullable Group spawn);
}
