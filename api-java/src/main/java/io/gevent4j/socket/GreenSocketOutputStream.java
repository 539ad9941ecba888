package io.gevent4j.socket;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/** {@link GreenSocket#getOutputStream()}: each write is a cooperative {@code sendAll}, unbuffered. */
final class GreenSocketOutputStream extends OutputStream {
    private final GreenSocket socket;

    GreenSocketOutputStream(GreenSocket socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        socket.sendAll(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        socket.sendAll(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() {
        socket.close();
    }
}
