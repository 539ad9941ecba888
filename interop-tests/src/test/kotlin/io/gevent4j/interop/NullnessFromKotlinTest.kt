package io.gevent4j.interop

import io.gevent4j.GreenCallable
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * What a Kotlin caller of gevent4j-api sees: the API's JSpecify annotations (`@NullMarked` packages, `@Nullable`
 * results, `<T extends @Nullable Object>` type parameters) compiled by the real Kotlin compiler (the project's
 * `kotlin.version`, which reads JSpecify strictly by default) against the API's classes. Snippets that use a
 * `@Nullable` result unchecked, or pass null where the API refuses it, must NOT compile, each with a nullability error
 * at its line; the checked forms must compile cleanly. Without `@NullMarked` (or the `@Nullable`s) Kotlin sees platform
 * types and the bad snippet compiles: this test fails then.
 *
 * It lives in interop-tests: the one module that has the API and Kotlin on its test classpath (gevent4j-api's own build
 * bans Kotlin from its dependency tree).
 */
class NullnessFromKotlinTest {
    @TempDir lateinit var dir: Path

    private val imports =
        """
        import io.gevent4j.Greenlet
        import io.gevent4j.Gevent
        import io.gevent4j.Hub
        import io.gevent4j.event.AsyncResult
        import io.gevent4j.local.GreenletLocal
        import io.gevent4j.queue.Queue
        """
            .trimIndent()

    @Test
    fun `a nullable result used without a check, or null passed where the API refuses it, does not compile`() {
        // one error expected on each line marked ERROR; their line numbers are checked below
        val bad =
            listOf(
                "fun resultOfGreenlet(g: Greenlet<String>): String = g.get()", // ERROR: get() is @Nullable T
                // (GreenletExit)
                "fun valueOfAsyncResult(a: AsyncResult<String>): String = a.value()", // ERROR: value() is @Nullable T
                "fun current(): Greenlet<*> = Gevent.getcurrent()", // ERROR: null outside every greenlet
                "fun local(l: GreenletLocal<String>): String = l.get()", // ERROR: null before a value is set
                "fun putNull(q: Queue<String>) = q.put(null)", // ERROR: a Queue<String> holds no null
                "fun createNull() = Hub.create(null)", // ERROR: the name is not nullable
            )
        val result = compile("Bad.kt", imports + "\n\n" + bad.joinToString("\n") + "\n")
        assertEquals(ExitCode.COMPILATION_ERROR, result.first, result.second)
        val firstLine = imports.lines().size + 2
        for ((i, snippet) in bad.withIndex()) {
            val line = firstLine + i
            val errors = result.second.lines().filter { it.contains("Bad.kt:$line:") && it.contains("error:") }
            assertTrue(errors.isNotEmpty(), "no error at line $line for `$snippet`:\n${result.second}")
            assertTrue(
                errors.any { "?" in it || "null" in it.lowercase() },
                "the error at line $line does not name nullability: $errors",
            )
        }
    }

    @Test
    fun `the checked forms compile, and a type argument decides whether null is a value`() {
        val good =
            """
            $imports

            fun resultOfGreenlet(g: Greenlet<String>): String = g.get() ?: "killed"
            fun valueOfAsyncResult(a: AsyncResult<String>): String? = a.value()
            fun getOfAsyncResult(a: AsyncResult<String>): String = a.get()
            fun current(): Greenlet<*>? = Gevent.getcurrent()
            fun queues(q: Queue<String>, n: Queue<String?>): String {
                q.put("a")
                n.put(null)
                val s: String = q.get()
                val t: String? = n.get()
                return s + t
            }
            fun nullableResult(): Greenlet<String?> = Gevent.spawn<String?> { null }
            // records: their @Nullable components must reach the constructors' parameters in the class file
            fun completed() = io.gevent4j.subprocess.CompletedProcess(listOf("true"), 0, null, null)
            fun communicated() = io.gevent4j.subprocess.Communicated(null, null)
            fun blocked(h: Hub) = io.gevent4j.monitor.HubBlocked(h, null, java.time.Duration.ZERO, listOf())
        """
                .trimIndent()
        val result = compile("Good.kt", good + "\n")
        assertEquals(ExitCode.OK, result.first, result.second)
        assertTrue(result.second.lines().none { it.contains("warning:") }, result.second)
    }

    /**
     * Compiles [source] with the project's Kotlin compiler against gevent4j-api; returns the exit code and messages.
     */
    private fun compile(name: String, source: String): Pair<ExitCode, String> {
        val file = dir.resolve(name).toFile()
        file.writeText(source)
        val classpath =
            listOf(
                    GreenCallable::class.java, // gevent4j-api (its classes or jar)
                    org.jspecify.annotations.NullMarked::class.java,
                    KotlinVersion::class.java, // kotlin-stdlib
                )
                .map { File(it.protectionDomain.codeSource.location.toURI()).path }
        val messages = ByteArrayOutputStream()
        val code =
            PrintStream(messages, true, Charsets.UTF_8).use { out ->
                K2JVMCompiler()
                    .exec(
                        out,
                        "-no-stdlib",
                        "-no-reflect",
                        "-jvm-target",
                        "21",
                        "-classpath",
                        classpath.joinToString(File.pathSeparator),
                        "-d",
                        dir.resolve("out").toString(),
                        file.path,
                    )
            }
        return code to messages.toString(Charsets.UTF_8)
    }
}
