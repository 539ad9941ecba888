package io.gevent4j.kotlin.internal

import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * gevent's `gevent.util.format_run_info()`: every hub, its live greenlets (name, kind, state), the spawn tree (parent
 * -> children) and each greenlet's own stack ([GreenletStacks]), as lines of text.
 *
 * A hub's greenlets are read in its own context: exact when the caller is in that context, else by a task posted to the
 * hub that the caller waits for up to [ANSWER_MILLIS]. A hub that does not answer in time (it is blocked: the case the
 * monitor reports) and any hub asked from another hub's thread (which must not wait) are read with a racy walk of their
 * list, and the text says so.
 */
internal object RunInfo {
    const val ANSWER_MILLIS: Long = 100L
    private val RULE = "=".repeat(80)

    /** Any thread: the run info of every hub, hubs in name order. */
    fun format(): List<String> {
        val out = ArrayList<String>()
        for (hub in Hubs.snapshot()) out.addAll(formatHub(hub, askHub = true))
        if (out.isEmpty()) out.add("(no hub is running)")
        return out
    }

    /**
     * Any thread: the run info of [hub]; [askHub] false reads its greenlets racily at once (the monitor: the hub is
     * blocked and would not answer).
     */
    fun formatHub(hub: HubImpl, askHub: Boolean, limit: Int = Int.MAX_VALUE): List<String> {
        val (greenlets, exact) = live(hub, askHub)
        val holder = GreenletStacks.holder(hub)
        val out = ArrayList<String>()
        out.add(RULE)
        out.add(
            "Hub \"${hub.name()}\" (${hub.carrier.mode}${if (hub.state != HubImpl.RUNNING) ", closing" else ""}): " +
                "${greenlets.size} live greenlet${if (greenlets.size == 1) "" else "s"}, " +
                "${hub.runQueueLength()} queued task(s), ${hub.armedTimerCount()} armed timer(s), " +
                "${HubImpl.TASK_COUNT.getOpaque(hub) as Long} task(s) run; " +
                (if (holder == null) "no greenlet holds it" else "held by ${describe(holder)}")
        )
        if (!exact) {
            out.add(
                if (askHub) {
                    "(the hub did not answer within $ANSWER_MILLIS ms or was asked from a hub thread: its greenlets " +
                        "were read without its cooperation and some may be missing)"
                } else {
                    "(read without the hub's cooperation, as it is blocked: some greenlets may be missing)"
                }
            )
        }
        val ids = HashMap<Int, GreenletCore<*>>(greenlets.size * 2)
        for (g in greenlets) ids[System.identityHashCode(g)] = g
        val children = HashMap<Int, MutableList<GreenletCore<*>>>()
        val roots = ArrayList<GreenletCore<*>>()
        for (g in greenlets) {
            val p = g.parentId
            if (p != 0 && p != System.identityHashCode(g) && ids.containsKey(p)) {
                children.getOrPut(p) { ArrayList() }.add(g)
            } else {
                roots.add(g)
            }
        }
        val seen = HashSet<Int>()
        val deferred = ArrayList<GreenletCore<*>>()
        val budget = intArrayOf(limit)
        for (g in roots) tree(out, g, holder, children, 0, seen, ids, deferred, budget)
        // children deeper than MAX_DEPTH, and greenlets an identity-hash collision left out of every tree
        var i = 0
        while (i < deferred.size) tree(out, deferred[i++], holder, children, 0, seen, ids, deferred, budget)
        for (g in greenlets) if (!seen.contains(System.identityHashCode(g)))
            tree(out, g, holder, children, 0, seen, ids, deferred, budget)
        val printed = if (limit == Int.MAX_VALUE) greenlets.size else limit - budget[0]
        if (greenlets.size > printed) {
            out.add(
                "... ${greenlets.size - printed} more greenlet(s) not listed (Gevent.formatRunInfo() lists them all)"
            )
        }
        return out
    }

    /**
     * Prints [g] and its subtree at [depth]; children deeper than [MAX_DEPTH] go to [deferred] (printed as tops later),
     * so that neither the recursion nor the indentation grows without bound. [budget] counts the greenlets still to
     * print; past it, greenlets are skipped (the caller says how many).
     */
    private fun tree(
        out: MutableList<String>,
        g: GreenletCore<*>,
        holder: GreenletCore<*>?,
        children: Map<Int, List<GreenletCore<*>>>,
        depth: Int,
        seen: MutableSet<Int>,
        ids: Map<Int, GreenletCore<*>>,
        deferred: MutableList<GreenletCore<*>>,
        budget: IntArray,
    ) {
        val id = System.identityHashCode(g)
        if (!seen.add(id)) return // an identity-hash collision could make a cycle: print each greenlet once
        val kids = children[id].orEmpty()
        if (budget[0] <= 0) return // past the limit: not printed (counted at the end)
        budget[0]--
        val indent = "     ".repeat(depth)
        val running = g === holder
        val parent = g.parentId
        val origin =
            when {
                parent == 0 -> ""
                ids.containsKey(parent) && parent != id -> ""
                else -> ", spawned by #${Integer.toHexString(parent)} (dead or on another hub)"
            }
        out.add("$indent+--- ${describe(g)}, ${stateOf(g, running)}$origin")
        val stack =
            try {
                GreenletStacks.stackOf(g, running)
            } catch (e: Throwable) {
                emptyList() // a thread that ended under us: no frames rather than no report
            }
        val pad = "$indent${if (kids.isEmpty()) "     " else "|    "}"
        if (stack.isEmpty() && g is KotlinGreenletCore<*> && !running && g.isStarted() && !g.isDead()) {
            out.add(
                "$pad    (suspended outside gevent4j's waits: no frames known; installing kotlinx-coroutines-debug's DebugProbes shows them)"
            )
        }
        for (e in stack) out.add("$pad    at $e")
        if (depth + 1 >= MAX_DEPTH) {
            if (kids.isNotEmpty())
                out.add("$pad    (${kids.size} child greenlet(s) listed below: the tree is deeper than $MAX_DEPTH)")
            deferred.addAll(kids)
        } else {
            for (k in kids) tree(out, k, holder, children, depth + 1, seen, ids, deferred, budget)
        }
    }

    private const val MAX_DEPTH = 32

    /** "Java greenlet "name" #1a2b3c". */
    fun describe(g: GreenletCore<*>): String =
        "${if (g is KotlinGreenletCore<*>) "Kotlin" else "Java"} greenlet \"${g.name()}\" #${Integer.toHexString(System.identityHashCode(g))}"

    private fun stateOf(g: GreenletCore<*>, running: Boolean): String =
        when {
            running -> "RUNNING (holds the hub)"
            g.state == GreenletCore.SCHEDULED -> "SCHEDULED (not run yet)"
            g.state == GreenletCore.RUNNING ->
                when {
                    g.currentWait != null -> "WAITING"
                    g is KotlinGreenletCore<*> -> "RUNNABLE, or SUSPENDED outside gevent4j's waits"
                    else -> "RUNNABLE, or in a JDK blocking call"
                }
            g.state == GreenletCore.FINISHING -> "FINISHING"
            g.state == GreenletCore.DEAD -> "DEAD"
            else -> "NEW"
        }

    private fun live(hub: HubImpl, askHub: Boolean): Pair<List<GreenletCore<*>>, Boolean> {
        if (hub.inContext()) return hub.liveGreenlets() to true
        val t = Thread.currentThread()
        val onAHub = t is HubThread || JavaGreenletCore.current() != null
        if (askHub && !onAHub && hub.state != HubImpl.CLOSED) {
            var answer: List<GreenletCore<*>>? = null
            val latch = CountDownLatch(1)
            hub.execute {
                if (Thread.currentThread() === hub.thread) answer = hub.liveGreenlets()
                latch.countDown()
            }
            if (latch.await(ANSWER_MILLIS, TimeUnit.MILLISECONDS))
                answer?.let {
                    return it to true
                }
        }
        return hub.liveSnapshot(Int.MAX_VALUE) to false
    }
}
