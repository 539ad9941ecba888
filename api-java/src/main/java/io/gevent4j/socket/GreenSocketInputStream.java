package io.gevent4j.socket;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** {@link GreenSocket#getInputStream()}: each read is a cooperative {@code recvInto}. */
final class GreenSocketInputStream extends InputStream {
    private final GreenSocket socket;

    GreenSocketInputStream(GreenSocket socket) {
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = socket.recvInto(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        return socket.recvInto(b, off, len);
    }

    @Override
    public void close() {
        socket.close();
    }
}
