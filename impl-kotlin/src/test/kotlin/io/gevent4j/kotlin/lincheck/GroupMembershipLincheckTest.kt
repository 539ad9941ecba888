package io.gevent4j.kotlin.lincheck

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.pool.Group
import java.time.Duration
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * Linearizability of a Group's membership through its public API, from several threads of no hub: add, discard,
 * contains, size, isEmpty and join(0) (true only when no member is left to wait for). The members are three greenlets
 * that are never started, so none leaves by dying.
 */
@Param(name = "member", gen = IntGen::class, conf = "0:2")
class GroupMembershipLincheckTest : AbstractLincheckTest() {
    private val group = Group()
    private val members = List(3) { Greenlet(HUB, GreenCallable { it }) }

    @Operation fun add(@Param(name = "member") i: Int) = group.add(members[i])

    @Operation fun discard(@Param(name = "member") i: Int) = group.discard(members[i])

    @Operation fun contains(@Param(name = "member") i: Int): Boolean = group.contains(members[i])

    @Operation fun size(): Int = group.size()

    @Operation fun isEmpty(): Boolean = group.isEmpty

    @Operation fun joinNowait(): Boolean = group.join(Duration.ZERO, false)

    override fun sequentialModel(): Class<*> = GroupMembershipModel::class.java

    internal companion object {
        /** The hub the members belong to (they never run). */
        val HUB: Hub by lazy { Hub.create("lincheck-group") }
    }
}

/** The sequential model: a set of member indexes. */
class GroupMembershipModel {
    private val set = HashSet<Int>()

    fun add(i: Int) {
        set += i
    }

    fun discard(i: Int) {
        set -= i
    }

    fun contains(i: Int): Boolean = i in set

    fun size(): Int = set.size

    fun isEmpty(): Boolean = set.isEmpty()

    fun joinNowait(): Boolean = set.isEmpty()
}
