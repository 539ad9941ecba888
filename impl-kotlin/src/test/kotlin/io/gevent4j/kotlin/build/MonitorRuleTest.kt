package io.gevent4j.kotlin.build

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import kotlin.io.path.createDirectories
import kotlin.io.path.isRegularFile
import kotlin.io.path.writeText
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * The monitor rule as a build check (issue 9, defect 3): no `synchronized`, `@Synchronized` or
 * `Collections.synchronized*` in the main code of any module unless the line (or the one above) says why it is safe
 * with `// monitor-ok: <reason>`. A hub thread that enters a monitor may wait for a Java greenlet that only it can run
 * (docs/design/runtime.md, trap 3). Part of the ordinary test run, so `./run-tests.sh` fails on a new monitor and names
 * its file and line.
 */
class MonitorRuleTest {
    @Test
    fun mainCodeUsesNoMonitorWithoutAReason() {
        val root = MonitorScanner.projectRoot(Paths.get(System.getProperty("basedir") ?: "."))
        for (f in EXCLUDED) {
            assertTrue(root.resolve(f).isRegularFile(), "$f is gone: drop its exclusion from MonitorRuleTest.EXCLUDED")
        }
        val (offences, files) = MonitorScanner.scanModules(root, EXCLUDED)
        assertTrue(files > 100, "only $files source files found under $root: the scan looks in the wrong place")
        if (offences.isNotEmpty()) {
            fail(
                "a monitor in main code (a hub thread must never wait on one: docs/design/runtime.md, trap 3); use a " +
                    "CAS or the SpinLock, or say on the line (or the one above) why it is safe with " +
                    "`// monitor-ok: <reason>`:\n" +
                    offences.joinToString("\n")
            )
        }
    }

    @Test
    fun theCheckNamesEachOffendingLine(@TempDir dir: Path) {
        val java = dir.resolve("mod/src/main/java/p/Offender.java")
        java.parent.createDirectories()
        java.writeText(
            """
            package p;                                              // 1
            class Offender {                                        // 2
                static synchronized void a() { }                    // 3: flagged
                void b() { synchronized (this) { } }                // 4: flagged
                java.util.Set<String> s = java.util.Collections.synchronizedSet(new java.util.HashSet<>()); // 5: flagged
                // the word synchronized in a comment                  6
                String t = "synchronized (x)";                      // 7
                /* synchronized (this) { }                             8
                   synchronized void c() */                         // 9
                void d() { synchronized (this) { } } // monitor-ok: only the test's own thread   10
                // monitor-ok: only the test's own thread              11
                void e() { synchronized (this) { } }                // 12
                void f() { synchronized (this) { } } // monitor-ok:
                String u = "\"synchronized(";                        // 14 (13: flagged, a reason is missing)
                String v = ""${'"'}"
                    synchronized (x)
                    ""${'"'};                                       // 15-17
                char w = '"'; void g() { synchronized (this) { } }  // 18: flagged
            }
            """
                .trimIndent()
        )
        val kt = dir.resolve("other/src/main/kotlin/p/Offender.kt")
        kt.parent.createDirectories()
        kt.writeText(
            """
            package p                                               // 1
            class K {                                               // 2
                @Synchronized fun a() {}                            // 3: flagged
                fun b() = synchronized(this) { 1 }                  // 4: flagged
                val s = "${'$'}{ synchronized(this) { 1 } }"        // 5: flagged (template code)
                val t = "${'$'}{ "x" } synchronized(this)"          // 6
                /* outer /* nested */ synchronized(this) */         // 7
                @get:Synchronized val c: Int get() = 1              // 8: flagged
                val r = ""${'"'} synchronized(this) ""${'"'}        // 9
            }
            """
                .trimIndent()
        )
        Files.createDirectories(dir.resolve("notamodule"))
        val (offences, files) = MonitorScanner.scanModules(dir, emptySet())
        assertEquals(2, files)
        assertEquals(
            listOf(
                    "mod/src/main/java/p/Offender.java:3",
                    "mod/src/main/java/p/Offender.java:4",
                    "mod/src/main/java/p/Offender.java:5",
                    "mod/src/main/java/p/Offender.java:13",
                    "mod/src/main/java/p/Offender.java:18",
                    "other/src/main/kotlin/p/Offender.kt:3",
                    "other/src/main/kotlin/p/Offender.kt:4",
                    "other/src/main/kotlin/p/Offender.kt:5",
                    "other/src/main/kotlin/p/Offender.kt:8",
                )
                .sorted(),
            offences.map { "${it.file}:${it.line}" }.sorted(),
        )
        assertTrue(offences.first().toString().startsWith("mod/src/main/java/p/Offender.java:3: static synchronized"))
        // an excluded file is not scanned
        val (left, scanned) = MonitorScanner.scanModules(dir, setOf("mod/src/main/java/p/Offender.java"))
        assertEquals(1, scanned)
        assertTrue(left.all { it.file.startsWith("other/") })
    }

    private companion object {
        /** Files of main code the check skips, relative to the project's root; each must exist. */
        val EXCLUDED: Set<String> = emptySet()
    }
}
