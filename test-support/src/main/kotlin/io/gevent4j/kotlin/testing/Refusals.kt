package io.gevent4j.kotlin.testing

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.testing.GeventTestBase

/**
 * Calls each of [calls] (a Java blocking call made where it must be refused: its name, the suspend twin its message
 * must name, the call) and returns what went wrong: a call that did not throw [BlockingSwitchOutException], a message
 * that does not name the twin, a refusal that was not at once (0.5 s).
 */
fun refusalProblems(calls: List<Triple<String, String, () -> Unit>>): List<String> {
    val problems = ArrayList<String>()
    for ((call, twin, body) in calls) {
        val start = System.nanoTime()
        val e =
            try {
                body()
                null
            } catch (t: Throwable) {
                t
            }
        when {
            e !is BlockingSwitchOutException -> problems += "$call threw $e"
            !e.message.orEmpty().contains(twin) ->
                problems += "$call: message does not name the twin $twin: ${e.message}"
            GeventTestBase.since(start) > 0.5 -> problems += "$call: not thrown at once"
        }
    }
    return problems
}
