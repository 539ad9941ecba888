package io.gevent4j.kotlin.internal

import java.lang.reflect.Method
import kotlinx.coroutines.Job

/**
 * kotlinx-coroutines-debug's `DebugProbes`, reached by reflection so that gevent4j does not depend on it: when a user
 * has it on the class path and installed (`DebugProbes.install()` or its agent), the run info shows the last stack the
 * probes saw for a Kotlin greenlet suspended outside gevent4j's waits (a kotlinx `delay`, a `Channel`, another
 * dispatcher), which Kotlin's continuation frames alone cannot reach.
 */
internal object DebugProbesAccess {
    private class Api(
        val probes: Any,
        val isInstalled: Method,
        val dump: Method,
        val jobOf: Method,
        val stackOf: Method,
    )

    private val api: Api? =
        try {
            val probes = Class.forName("kotlinx.coroutines.debug.DebugProbes")
            val info = Class.forName("kotlinx.coroutines.debug.CoroutineInfo")
            Api(
                probes.getField("INSTANCE").get(null),
                probes.getMethod("isInstalled"),
                probes.getMethod("dumpCoroutinesInfo"),
                info.getMethod("getJob"),
                info.getMethod("lastObservedStackTrace"),
            )
        } catch (e: ReflectiveOperationException) {
            null // not on the class path (or another layout): Kotlin's continuation frames only
        } catch (e: LinkageError) {
            null
        }

    /** The stack the probes last observed for [job]'s coroutine, or null (probes absent, not installed, not found). */
    fun lastObservedStack(job: Job): List<StackTraceElement>? {
        val a = api ?: return null
        return try {
            if (a.isInstalled.invoke(a.probes) != true) return null
            val infos = a.dump.invoke(a.probes) as List<*>
            val info = infos.firstOrNull { it != null && a.jobOf.invoke(it) === job } ?: return null
            @Suppress("UNCHECKED_CAST") (a.stackOf.invoke(info) as List<StackTraceElement>).takeIf { it.isNotEmpty() }
        } catch (e: ReflectiveOperationException) {
            null
        } catch (e: RuntimeException) {
            null // the probes changed their mind under us (uninstalled): no frames rather than no report
        }
    }
}
