package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitApply
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitMap
import io.gevent4j.kotlin.awaitSpawn
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.threadpool.ThreadPool
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.util.HexFormat
import kotlin.time.Duration.Companion.milliseconds

/**
 * The Kotlin twin of [HashFilesOnThreadPool]: the driver and the ticker are Kotlin greenlets, and they wait for the
 * threads with the suspend twins `awaitApply`, `awaitSpawn` and `awaitMap`. The functions handed to the pool are plain
 * blocking code: they run on platform threads.
 */
object HashFilesOnThreadPoolKotlin {
    private const val FILES = 4
    private const val SIZE = 8 shl 20

    /** Runs the scenario as a Kotlin greenlet on the default hub; the calling thread waits for it. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val io = Hub.current().threadpool()
        val dir = io.awaitApply { Files.createTempDirectory("gevent4j-hash-kt") }
        val files = ArrayList<Path>()
        var done = false // hub-confined: both greenlets run on the hub thread
        var ticks = 0
        val ticker = spawn {
            while (!done) {
                println("  ticker: tick ${++ticks} (the hub is free)")
                sleep(50.milliseconds)
            }
        }
        try {
            ThreadPool(2).use { hashers ->
                val writes = (0 until FILES).map { n -> io.awaitSpawn { write(dir.resolve("file-$n.bin"), n) } }
                writes.forEach { files.add(it.await()) }
                println("main: wrote $FILES files of ${SIZE shr 20} MiB on ${io.name()}")
                val digests = hashers.awaitMap(files) { sha256(it) }
                files.zip(digests).forEach { (f, d) -> println("main: ${f.fileName} sha256 ${d.take(16)}...") }
                println("main: $hashers after awaitMap")
            }
        } finally {
            done = true
            ticker.awaitJoin()
            io.awaitApply {
                files.forEach { Files.deleteIfExists(it) }
                Files.deleteIfExists(dir)
            }
        }
        println("main: the ticker ticked $ticks times while the threads worked; files deleted: ${!Files.exists(dir)}")
    }

    private fun write(file: Path, seed: Int): Path {
        val data = ByteArray(SIZE) { i -> (i * 31 + seed).toByte() }
        return Files.write(file, data)
    }

    private fun sha256(file: Path): String {
        val md = MessageDigest.getInstance("SHA-256")
        Files.newInputStream(file).use { input ->
            val buf = ByteArray(1 shl 16)
            while (true) {
                val n = input.read(buf)
                if (n <= 0) break
                md.update(buf, 0, n)
            }
        }
        return HexFormat.of().formatHex(md.digest())
    }
}
