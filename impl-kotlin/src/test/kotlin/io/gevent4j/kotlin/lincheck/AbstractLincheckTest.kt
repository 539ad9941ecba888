package io.gevent4j.kotlin.lincheck

import org.jetbrains.lincheck.datastructures.DSLScenarioBuilder
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Options
import org.jetbrains.lincheck.datastructures.StressOptions
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

/**
 * Lincheck over the non-blocking, cross-thread entry points of a primitive: stress mode and model checking, 3 threads,
 * small actor counts (style anchors: "every bug found needed <= 3 threads"), sized for 2 cores. The subclass is the
 * concurrent object (its `@Operation`s) and names its sequential model, a plain class with the same operations and
 * no-argument constructor. Sized for a loaded 2-core machine: about 15 s per class and mode pair there; raise the
 * iterations locally when changing a primitive.
 */
@Tag("lincheck")
abstract class AbstractLincheckTest {
    /** The sequential model the concurrent histories are checked against. */
    protected abstract fun sequentialModel(): Class<*>

    /**
     * Operations run before and after the parallel part. Those run on Lincheck's main thread, so a test whose model
     * tells the calling thread apart (ThreadIdGen) sets 0.
     */
    protected open val actorsBeforeAndAfter: Int = 1

    /**
     * Whether model checking needs `java.lang` opened (the SCHEDULED_ON_HUB runs' `--add-opens`): Lincheck's snapshot
     * tracking reads the fields of the virtual threads that Java greenlets run on and fails without it. The stress test
     * runs in both modes regardless.
     */
    protected open val modelCheckingNeedsOpens: Boolean = false

    /** Scenarios always run (in both modes) besides the random ones: regressions pinned down. */
    protected open fun customScenarios(): List<DSLScenarioBuilder.() -> Unit> = emptyList()

    private fun <O : Options<O, *>> O.common(): O =
        this.sequentialSpecification(sequentialModel())
            .threads(3)
            .actorsPerThread(2)
            .actorsBefore(actorsBeforeAndAfter)
            .actorsAfter(actorsBeforeAndAfter)
            .also { o -> customScenarios().forEach { o.addCustomScenario(it) } }

    @Test
    fun stressTest() {
        StressOptions()
            .common()
            .iterations(STRESS_ITERATIONS)
            .invocationsPerIteration(STRESS_INVOCATIONS)
            .check(this::class)
    }

    @Test
    fun modelCheckingTest() {
        if (modelCheckingNeedsOpens) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                Any::class.java.module.isOpen("java.lang", AbstractLincheckTest::class.java.module),
                "model checking of Java greenlets needs --add-opens java.base/java.lang (the SCHEDULED_ON_HUB run)",
            )
        }
        ModelCheckingOptions()
            .common()
            .iterations(MODEL_ITERATIONS)
            .invocationsPerIteration(MODEL_INVOCATIONS)
            .check(this::class)
    }

    private companion object {
        const val STRESS_ITERATIONS = 6
        const val STRESS_INVOCATIONS = 1_000
        const val MODEL_ITERATIONS = 6
        const val MODEL_INVOCATIONS = 200
    }
}
