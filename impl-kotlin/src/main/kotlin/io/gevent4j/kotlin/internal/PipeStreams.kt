package io.gevent4j.kotlin.internal

import java.io.InputStream
import java.io.OutputStream
import java.util.Objects

/**
 * The cooperative stream of a child's piped stdout or stderr (`Popen.stdout()`/`stderr()`): `read` waits through
 * [PopenCore.readLoop] (yields in a Java greenlet, parks a foreign thread, refuses on a hub thread, naming [twin]).
 */
internal class PipeInputStream(
    private val core: PopenCore,
    private val reader: PipeReader,
    private val op: String,
    private val twin: String,
) : InputStream() {
    override fun read(): Int {
        val one = ByteArray(1)
        val n = read(one, 0, 1)
        return if (n < 0) -1 else one[0].toInt() and 0xff
    }

    override fun read(b: ByteArray, off: Int, len: Int): Int {
        Objects.checkFromIndexSize(off, len, b.size)
        Blocking.refuseOnHub(op, twin) // whether or not it would wait: that depends on the child's timing
        if (len == 0) return 0
        return core.readLoop(reader, b, off, len) { register -> Blocking.await(op, twin, null, -1, register) }
    }

    override fun available(): Int = reader.available()

    /** Drops what is buffered; reads fail from now on. Never blocks. */
    override fun close() {
        reader.close()
    }
}

/**
 * The cooperative stream of a child's piped stdin (`Popen.stdin()`): `write` hands the bytes to the writer thread and
 * waits until they are written; `flush` has nothing to do; `close` queues the close and never blocks.
 */
internal class PipeOutputStream(private val core: PopenCore, private val writer: PipeWriter) : OutputStream() {
    override fun write(b: Int) {
        write(byteArrayOf(b.toByte()), 0, 1)
    }

    override fun write(b: ByteArray, off: Int, len: Int) {
        Objects.checkFromIndexSize(off, len, b.size)
        Blocking.refuseOnHub(OP, TWIN) // whether or not it would wait: that depends on the child's timing
        if (len == 0) return
        core.writeLoop(writer, b.copyOfRange(off, off + len)) { register ->
            Blocking.await(OP, TWIN, null, -1, register)
        }
    }

    override fun flush() {
        // every write is flushed by the writer thread before the writer returns
    }

    override fun close() {
        writer.submitClose()
    }

    private companion object {
        const val OP = "Popen.stdin().write()"
        const val TWIN = "Popen.awaitWriteStdin()"
    }
}
