package io.gevent4j.kotlin.build

import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.extension
import kotlin.io.path.invariantSeparatorsPathString
import kotlin.io.path.isDirectory
import kotlin.io.path.isRegularFile
import kotlin.io.path.readText

/**
 * The build's monitor rule (runtime.md, trap 3): finds `synchronized` (Java's keyword, Kotlin's function),
 * `@Synchronized` and `Collections.synchronized*` in Java and Kotlin sources, outside comments and string literals. A
 * use is allowed when its line, or the line above, carries a comment `monitor-ok: <why it is safe>`.
 */
object MonitorScanner {
    /** One use of a monitor without a reason: [file] relative to the scanned root, [line] from 1. */
    data class Offence(val file: String, val line: Int, val text: String) {
        override fun toString(): String = "$file:$line: ${text.trim()}"
    }

    private val MONITOR =
        Regex("""@(?:\w+:)?(?:kotlin\.jvm\.)?Synchronized\b|\bsynchronized\b|\bsynchronized[A-Z]\w*""")
    private val REASON = Regex("""monitor-ok:\s*\S""")

    /**
     * Scans `src/main` of every module directly under [root] (a folder holding `src/main`), skipping the files whose
     * paths relative to [root] are in [excluded]. Returns the offences and the number of files scanned.
     */
    fun scanModules(root: Path, excluded: Set<String>): Pair<List<Offence>, Int> {
        val offences = ArrayList<Offence>()
        var files = 0
        val modules = Files.list(root).use { s -> s.filter { it.resolve("src/main").isDirectory() }.sorted().toList() }
        for (module in modules) {
            val sources =
                Files.walk(module.resolve("src/main")).use { s ->
                    s.filter { it.isRegularFile() && (it.extension == "java" || it.extension == "kt") }
                        .sorted()
                        .toList()
                }
            for (f in sources) {
                val rel = root.relativize(f).invariantSeparatorsPathString
                if (rel in excluded) continue
                files++
                val text = f.readText()
                val lines = text.lines()
                for (line in scan(text, kotlin = f.extension == "kt")) offences += Offence(rel, line, lines[line - 1])
            }
        }
        return offences to files
    }

    /** The lines (from 1) of [source] that use a monitor without a `monitor-ok:` reason on them or above them. */
    fun scan(source: String, kotlin: Boolean): List<Int> {
        val (code, comments) = split(source, kotlin)
        val out = ArrayList<Int>()
        for (i in code.indices) {
            if (!MONITOR.containsMatchIn(code[i])) continue
            val excused = REASON.containsMatchIn(comments[i]) || (i > 0 && REASON.containsMatchIn(comments[i - 1]))
            if (!excused) out += i + 1
        }
        return out
    }

    /**
     * Splits [source] into, per line, its code (string and char literals blanked) and its comment text. Handles `//`
     * and block comments (nested in Kotlin), string and char literals with escapes, Java text blocks and Kotlin raw
     * strings, and Kotlin templates `${...}` (whose code is code again).
     */
    fun split(source: String, kotlin: Boolean): Pair<List<String>, List<String>> {
        val code = ArrayList<String>()
        val comments = ArrayList<String>()
        var c = StringBuilder()
        var m = StringBuilder()
        // the lexer's modes: a stack, for Kotlin templates inside strings
        val modes = ArrayDeque<Mode>()
        modes.addLast(Mode.Code(0))
        var i = 0
        val n = source.length
        fun at(s: String): Boolean = source.startsWith(s, i)
        while (i < n) {
            val ch = source[i]
            if (ch == '\n') {
                code += c.toString()
                comments += m.toString()
                c = StringBuilder()
                m = StringBuilder()
                if (modes.last() is Mode.LineComment || modes.last() is Mode.Str || modes.last() is Mode.Chr)
                    modes.removeLast()
                i++
                continue
            }
            when (val mode = modes.last()) {
                is Mode.Code ->
                    when {
                        at("//") -> {
                            modes.addLast(Mode.LineComment)
                            i += 2
                        }
                        at("/*") -> {
                            modes.addLast(Mode.BlockComment(1))
                            i += 2
                        }
                        at("\"\"\"") -> {
                            modes.addLast(Mode.Raw)
                            c.append("   ")
                            i += 3
                        }
                        ch == '"' -> {
                            modes.addLast(Mode.Str)
                            c.append(' ')
                            i++
                        }
                        ch == '\'' -> {
                            modes.addLast(Mode.Chr)
                            c.append(' ')
                            i++
                        }
                        ch == '{' -> {
                            mode.depth++
                            c.append(ch)
                            i++
                        }
                        ch == '}' && mode.depth == 0 && modes.size > 1 -> {
                            modes.removeLast()
                            c.append(' ')
                            i++
                        } // template end
                        ch == '}' -> {
                            mode.depth--
                            c.append(ch)
                            i++
                        }
                        else -> {
                            c.append(ch)
                            i++
                        }
                    }
                is Mode.LineComment -> {
                    m.append(ch)
                    i++
                }
                is Mode.BlockComment ->
                    when {
                        at("*/") -> {
                            i += 2
                            if (--mode.depth == 0) modes.removeLast()
                        }
                        kotlin && at("/*") -> {
                            mode.depth++
                            i += 2
                        }
                        else -> {
                            m.append(ch)
                            i++
                        }
                    }
                is Mode.Str,
                is Mode.Raw,
                is Mode.Chr -> {
                    val raw = mode is Mode.Raw
                    when {
                        !raw && ch == '\\' -> {
                            c.append("  ")
                            i += 2
                        }
                        raw && !kotlin && ch == '\\' -> {
                            c.append("  ")
                            i += 2
                        }
                        raw && at("\"\"\"") -> {
                            modes.removeLast()
                            c.append("   ")
                            i += 3
                        }
                        !raw && mode is Mode.Str && ch == '"' -> {
                            modes.removeLast()
                            c.append(' ')
                            i++
                        }
                        mode is Mode.Chr && ch == '\'' -> {
                            modes.removeLast()
                            c.append(' ')
                            i++
                        }
                        kotlin && mode !is Mode.Chr && at("\${") -> {
                            modes.addLast(Mode.Code(0))
                            c.append("  ")
                            i += 2
                        }
                        else -> {
                            c.append(' ')
                            i++
                        }
                    }
                }
            }
        }
        code += c.toString()
        comments += m.toString()
        return code to comments
    }

    private sealed class Mode {
        class Code(var depth: Int) : Mode()

        object LineComment : Mode()

        class BlockComment(var depth: Int) : Mode()

        object Str : Mode()

        object Raw : Mode()

        object Chr : Mode()
    }

    /** The project's root: the nearest folder at or above [start] that holds `api-java` and a `pom.xml`. */
    fun projectRoot(start: Path): Path {
        var p: Path? = start.toAbsolutePath().normalize()
        while (p != null) {
            if (p.resolve("pom.xml").isRegularFile() && p.resolve("api-java").isDirectory()) return p
            p = p.parent
        }
        throw IllegalStateException("no project root (a folder with pom.xml and api-java) at or above $start")
    }
}
