package io.gevent4j.kotlin.lincheck

import io.gevent4j.GreenCallable
import io.gevent4j.event.Event
import io.gevent4j.pool.GreenPool
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.Validate

/**
 * Linearizability of a GreenPool's slot accounting through its public API, from several threads of no hub: spawn while
 * a slot is free (never waits: the pool is sized above every scenario's spawns), free, running, size and resize. The
 * spawned greenlets (on the default hub, as a thread of no hub spawns) wait on a gate until the scenario ends, so none
 * gives its slot back meanwhile.
 */
@Param(name = "size", gen = IntGen::class, conf = "8:10")
class GreenPoolSlotsLincheckTest : AbstractLincheckTest() {
    override val modelCheckingNeedsOpens: Boolean = true // its greenlets are Java greenlets (virtual threads)

    private val gate = Event()
    private val pool = GreenPool(10)

    @Operation
    fun spawnWhenFree() {
        pool.spawn(GreenCallable { gate.waitFor() })
    }

    @Operation fun free(): Int = pool.free()

    @Operation fun running(): Int = pool.running()

    @Operation fun size(): Int = pool.size()

    @Operation fun resize(@Param(name = "size") n: Int) = pool.resize(n)

    /** Lets the scenario's greenlets end (after the results are taken). */
    @Validate fun openTheGate() = gate.set()

    override fun sequentialModel(): Class<*> = GreenPoolSlotsModel::class.java
}

/** The sequential model of `GreenPool(10)` whose greenlets never end. */
class GreenPoolSlotsModel {
    private var size = 10
    private var running = 0

    fun spawnWhenFree() {
        running++
    }

    fun free(): Int = size - running

    fun running(): Int = running

    fun size(): Int = size

    fun resize(n: Int) {
        size = n
    }
}
