package io.gevent4j.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gevent4j on the module path: {@link ModulePathMain}, a named module that requires the API module only, runs in a
 * child JVM (this JVM's {@code java}) with the modules its run needs on {@code --module-path}, in both hub modes. The
 * implementation module must be resolved by service binding, its descriptors must export what they must and nothing
 * more (the program checks them with {@link Module}), Java greenlets must switch, the hub's MXBean and JFR events
 * must work from a named module, and the hub mode and its warning must follow the {@code --add-opens} flag: {@code java.lang} opened to {@code io.gevent4j.kotlin} gives
 * SCHEDULED_ON_HUB, {@code ALL-UNNAMED} (the class path's flag) gives HANDOFF with a warning naming the module-path
 * flag. The same program on the class path is the control: there the flag is {@code ALL-UNNAMED}.
 */
class ModulePathTest {
    private static final String MAIN_MODULE = "io.gevent4j.modulepath";
    private static final String MAIN = MAIN_MODULE + "/" + ModulePathMain.class.getName();
    /** What the run resolves: the program, the API, the implementation and what it requires. */
    private static final Set<String> NEEDED =
            Set.of(MAIN_MODULE, "io.gevent4j", "io.gevent4j.kotlin", "kotlin.stdlib", "kotlinx.coroutines.core");
    /** Read at compile time only ({@code requires static}); given when present, as a build tool would. */
    private static final Set<String> OPTIONAL = Set.of("org.jspecify");

    private static final String OPEN_TO_MODULE = "java.base/java.lang=io.gevent4j.kotlin";
    private static final String OPEN_TO_CLASS_PATH = "java.base/java.lang=ALL-UNNAMED";
    private static final String ROUND_TRIP =
            "mp: round trip echo:ping1 caller:pong1 echo:ping2 caller:pong2 " + "echo:ping3 caller:pong3 caller:event";
    private static final String HANDOFF_WARNING = "gevent4j: Java greenlets run in HANDOFF mode";

    @TempDir
    Path tmp;

    @Test
    void scheduledOnHubOnTheModulePathWithJavaLangOpenToTheImplementationModule() throws Exception {
        assumeTrue(Runtime.version().feature() >= 24, "SCHEDULED_ON_HUB needs JDK 24+");
        Run run = run(List.of("--add-opens", OPEN_TO_MODULE), true);
        assertEquals(expected(true, "SCHEDULED_ON_HUB"), run.lines(), run.out);
        assertFalse(run.out.contains(HANDOFF_WARNING), run.out);
        assertEquals(0, run.exit, run.out);
    }

    @Test
    void handoffOnTheModulePathWithoutTheFlagAndTheWarningNamesTheModule() throws Exception {
        Run run = run(List.of(), true);
        assertHandoffOnTheModulePath(run);
    }

    @Test
    void allUnnamedDoesNotOpenJavaLangToTheImplementationModule() throws Exception {
        Run run = run(List.of("--add-opens", OPEN_TO_CLASS_PATH), true);
        assertHandoffOnTheModulePath(run);
    }

    @Test
    void onTheClassPathTheFlagIsAllUnnamed() throws Exception {
        Run off = run(List.of(), false);
        assertEquals(expected(false, "HANDOFF"), off.lines(), off.out);
        assertWarningNames(off, OPEN_TO_CLASS_PATH);
        assertEquals(0, off.exit, off.out);
        assumeTrue(Runtime.version().feature() >= 24, "SCHEDULED_ON_HUB needs JDK 24+");
        Run on = run(List.of("--add-opens", OPEN_TO_CLASS_PATH), false);
        assertEquals(expected(false, "SCHEDULED_ON_HUB"), on.lines(), on.out);
        assertEquals(0, on.exit, on.out);
    }

    private static void assertHandoffOnTheModulePath(Run run) {
        assertEquals(expected(true, "HANDOFF"), run.lines(), run.out);
        assertWarningNames(run, OPEN_TO_MODULE);
        assertEquals(0, run.exit, run.out);
    }

    /** What the program prints when every check passes, on the module path or the class path, in {@code mode}. */
    private static List<String> expected(boolean modulePath, String mode) {
        List<String> lines = new ArrayList<>();
        if (modulePath) {
            lines.addAll(
                    List.of("mp: api module io.gevent4j", "mp: impl module io.gevent4j.kotlin", "mp: descriptors ok"));
        } else {
            lines.addAll(List.of("mp: api module unnamed", "mp: impl module unnamed"));
        }
        lines.add("mp: mode " + mode);
        lines.add(ROUND_TRIP);
        if (mode.equals("SCHEDULED_ON_HUB")) {
            lines.add("mp: jdk blocking call left the hub");
        }
        lines.add("mp: jmx mode " + mode);
        lines.add("mp: jfr greenlet failed events 1");
        return lines;
    }

    /** The one HANDOFF warning names the flag that would have opened {@code java.lang} to where gevent4j runs. */
    private static void assertWarningNames(Run run, String opens) {
        List<String> warnings =
                run.out.lines().filter(l -> l.contains(HANDOFF_WARNING)).toList();
        assertEquals(1, warnings.size(), run.out);
        String w = warnings.get(0);
        if (Runtime.version().feature() >= 24) {
            assertTrue(w.contains("(java.lang is not open: add --add-opens " + opens + ")"), w);
        }
        assertTrue(w.endsWith("Use JDK 25 with --add-opens " + opens + "."), w);
    }

    private record Run(String out, int exit) {
        List<String> lines() {
            return out.lines().filter(l -> l.startsWith("mp: ")).toList();
        }
    }

    /** Runs the program in a child JVM, bounded: killed (and the test failed) after 60 s. */
    private Run run(List<String> flags, boolean modulePath) throws IOException, InterruptedException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String path = entries().values().stream().collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(flags);
        if (modulePath) {
            cmd.addAll(List.of("--module-path", path, "-m", MAIN));
        } else {
            cmd.addAll(List.of("-cp", path, ModulePathMain.class.getName()));
        }
        Path out = Files.createTempFile(tmp, "child", ".out");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the child JVM did not end in 60 s: " + cmd + "\n" + Files.readString(out));
            }
            return new Run(Files.readString(out, StandardCharsets.UTF_8), p.exitValue());
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * The entries of this test's class path that hold the modules the program needs (the reactor's target/classes or
     * the jars), by module name: a missing one fails the test rather than leaving the child to guess.
     */
    private static Map<String, String> entries() {
        Map<String, String> found = new LinkedHashMap<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty() || !Files.exists(Path.of(e))) {
                continue;
            }
            try {
                for (ModuleReference ref : ModuleFinder.of(Path.of(e)).findAll()) {
                    String name = ref.descriptor().name();
                    if ((NEEDED.contains(name) || OPTIONAL.contains(name)) && !found.containsKey(name)) {
                        found.put(name, e);
                    }
                }
            } catch (FindException ignored) {
                // not a module (or several that clash): the program needs none of those
            }
        }
        for (String name : NEEDED) {
            assertTrue(found.containsKey(name), "module " + name + " is not on the test's class path: " + found);
        }
        return found;
    }
}
