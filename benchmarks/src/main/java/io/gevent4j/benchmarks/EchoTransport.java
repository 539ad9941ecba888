package io.gevent4j.benchmarks;

import io.gevent4j.socket.GreenServerSocket;
import io.gevent4j.socket.GreenSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;

/**
 * The sockets a Java-greenlet echo ({@link JavaGreenletEcho}) runs on: gevent4j's cooperative
 * {@link GreenSocket}/{@link GreenServerSocket} ({@link #GREEN}), or plain {@link Socket}/{@link ServerSocket}
 * ({@link #JDK}), which cooperate only when Java greenlets are virtual threads scheduled on the hub
 * (SCHEDULED_ON_HUB: a blocked read parks the virtual thread, the JDK's poller unparks it onto the hub).
 * Each JVM uses one transport, so these calls stay monomorphic.
 */
interface EchoTransport {
    /** One connection. */
    interface Conn extends AutoCloseable {
        /** @return bytes read into {@code buf[off, off + len)}, at least 1; -1 at end of stream */
        int recv(byte[] buf, int off, int len) throws IOException;

        /** Sends all of {@code buf[off, off + len)}. */
        void sendAll(byte[] buf, int off, int len) throws IOException;

        /** Sets TCP_NODELAY (a handler calls it first thing; it never waits). */
        void noDelay() throws IOException;

        @Override
        void close();
    }

    /** A listener on 127.0.0.1. */
    interface Listener extends AutoCloseable {
        /** @return the next connection; an IOException once closed */
        Conn accept() throws IOException;

        int port();

        boolean isClosed();

        @Override
        void close();
    }

    /** @return how the sockets cooperate, for the meta line */
    String describe();

    /** Listens on 127.0.0.1, an ephemeral port. */
    Listener listen(int backlog) throws IOException;

    /** Connects to 127.0.0.1:{@code port} (at most {@link EchoLoad#CONNECT_TIMEOUT}) and sets TCP_NODELAY. */
    Conn connect(int port) throws IOException;

    /** gevent4j's cooperative sockets. */
    EchoTransport GREEN = new EchoTransport() {
        @Override
        public String describe() {
            return "io.gevent4j.socket.GreenSocket / GreenServerSocket";
        }

        @Override
        public Listener listen(int backlog) throws IOException {
            GreenServerSocket ss = GreenServerSocket.listen(EchoLoad.loopback(0), backlog);
            return new Listener() {
                @Override
                public Conn accept() throws IOException {
                    return green(ss.accept());
                }

                @Override
                public int port() {
                    return ss.port();
                }

                @Override
                public boolean isClosed() {
                    return !ss.isOpen();
                }

                @Override
                public void close() {
                    ss.close();
                }
            };
        }

        @Override
        public Conn connect(int port) throws IOException {
            GreenSocket s = GreenSocket.connect(EchoLoad.loopback(port), EchoLoad.CONNECT_TIMEOUT);
            try {
                s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            return green(s);
        }

        // recv(ByteBuffer) / sendAll(ByteBuffer) through a view kept per array (each loop reuses its arrays),
        // as the Kotlin echo does, so that neither allocates a wrapper per call
        private Conn green(GreenSocket s) {
            return new Conn() {
                private ByteBuffer inView = ByteBuffer.allocate(0);
                private ByteBuffer outView = ByteBuffer.allocate(0);

                @Override
                public int recv(byte[] buf, int off, int len) throws IOException {
                    if (!inView.hasArray() || inView.array() != buf) {
                        inView = ByteBuffer.wrap(buf);
                    }
                    inView.limit(off + len).position(off);
                    return s.recv(inView);
                }

                @Override
                public void sendAll(byte[] buf, int off, int len) throws IOException {
                    if (!outView.hasArray() || outView.array() != buf) {
                        outView = ByteBuffer.wrap(buf);
                    }
                    outView.limit(off + len).position(off);
                    s.sendAll(outView);
                }

                @Override
                public void noDelay() throws IOException {
                    s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }
    };

    /** Plain JDK sockets, blocking calls in Java greenlets. */
    EchoTransport JDK = new EchoTransport() {
        @Override
        public String describe() {
            return "java.net.Socket / ServerSocket in Java greenlets (cooperative only in SCHEDULED_ON_HUB)";
        }

        @Override
        public Listener listen(int backlog) throws IOException {
            ServerSocket ss = new ServerSocket();
            try {
                ss.bind(EchoLoad.loopback(0), backlog);
            } catch (IOException e) {
                ss.close();
                throw e;
            }
            return new Listener() {
                @Override
                public Conn accept() throws IOException {
                    return jdk(ss.accept());
                }

                @Override
                public int port() {
                    return ss.getLocalPort();
                }

                @Override
                public boolean isClosed() {
                    return ss.isClosed();
                }

                @Override
                public void close() {
                    try {
                        ss.close();
                    } catch (IOException e) {
                        throw new IllegalStateException("closing the listener failed", e);
                    }
                }
            };
        }

        @Override
        public Conn connect(int port) throws IOException {
            Socket s = new Socket();
            try {
                s.connect(EchoLoad.loopback(port), (int) EchoLoad.CONNECT_TIMEOUT.toMillis());
                s.setTcpNoDelay(true);
                return jdk(s);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        private Conn jdk(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            return new Conn() {
                @Override
                public int recv(byte[] buf, int off, int len) throws IOException {
                    return in.read(buf, off, len);
                }

                @Override
                public void sendAll(byte[] buf, int off, int len) throws IOException {
                    out.write(buf, off, len);
                }

                @Override
                public void noDelay() throws IOException {
                    s.setTcpNoDelay(true);
                }

                @Override
                public void close() {
                    try {
                        s.close();
                    } catch (IOException e) {
                        throw new IllegalStateException("closing a socket failed", e);
                    }
                }
            };
        }
    };
}
