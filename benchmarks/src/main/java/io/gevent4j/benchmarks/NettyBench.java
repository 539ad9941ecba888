package io.gevent4j.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.Version;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code netty-1loop}: W8 and L8 on Netty's NIO transport with ONE {@code NioEventLoopGroup(1)} (one thread, one
 * selector), the event-loop baseline for one hub. W8: the echo server (a handler per connection writing back what
 * it reads, flushing at the end of each read burst) and the 200 clients (handlers that send the next message once
 * all {@link Workload#W8_SIZE} bytes of the reply are in, checked) all run on that loop; the main thread only
 * starts them and waits. L8: the same server on its loop, {@link EchoLoad#latencyClient} on the main thread. A
 * loop is made per repetition and shut down at its end.
 */
final class NettyBench implements BenchImpl {
    static final String NAME = "netty-1loop";

    private static final long TIMEOUT_S = EchoLoad.REP_TIMEOUT_S;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        Version v = Version.identify().get("netty-transport");
        m.put("netty", v == null ? "?" : v.artifactVersion());
        m.put("loop", "one NioEventLoopGroup(1) per repetition: server and clients on its one thread");
        return m;
    }

    /** The echo server on {@code loop}: TCP_NODELAY, backlog {@link Workload#W8_BACKLOG}. */
    private static final class Server {
        final Channel channel;
        final AtomicLong echoed = new AtomicLong();
        final Queue<Channel> children = new ConcurrentLinkedQueue<>();
        final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

        Server(EventLoopGroup loop) throws InterruptedException {
            ServerBootstrap sb = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, Workload.W8_BACKLOG)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            children.add(ch);
                            ch.pipeline().addLast(new Echo());
                        }
                    });
            channel = sb.bind(EchoLoad.loopback(0)).sync().channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        final class Echo extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                echoed.addAndGet(((ByteBuf) msg).readableBytes());
                ctx.write(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
                ctx.close();
            }
        }

        /** Closes the listener, waits for every connection to close (at its client's end), checks the bytes. */
        void stop(long expectedBytes) throws InterruptedException {
            channel.close().sync();
            for (Channel c : children) {
                if (!c.closeFuture().await(TIMEOUT_S, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("server connection " + c + " still open");
                }
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("echo server failed", errors.peek());
            }
            EchoLoad.checkBytes("echo server", echoed.get(), expectedBytes);
        }
    }

    /** One W8 client, all on the loop: send, wait for the whole reply, check it, send again. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        final int idx;
        final byte[] msg;
        final ByteBuf out;
        final byte[] reply;
        final CountDownLatch connected;
        final CountDownLatch done;
        final Queue<Throwable> errors;
        ChannelHandlerContext ctx;
        int round;
        int got;
        long received;
        boolean finished;

        Client(int idx, CountDownLatch connected, CountDownLatch done, Queue<Throwable> errors) {
            this.idx = idx;
            this.msg = EchoLoad.message(idx);
            this.out = Unpooled.directBuffer(msg.length).writeBytes(msg); // released by w8 at the end
            this.reply = new byte[msg.length];
            this.connected = connected;
            this.done = done;
            this.errors = errors;
        }

        @Override
        public void channelActive(ChannelHandlerContext c) {
            ctx = c;
            connected.countDown();
            c.fireChannelActive();
        }

        /** The first message; on the loop. */
        void start() {
            ctx.writeAndFlush(out.retainedDuplicate());
        }

        @Override
        public void channelRead(ChannelHandlerContext c, Object m) {
            ByteBuf b = (ByteBuf) m;
            try {
                int n = b.readableBytes();
                if (got + n > reply.length) {
                    throw new IllegalStateException("client " + idx + " round " + round + ": " + (got + n)
                            + " bytes for a " + reply.length + "-byte message");
                }
                b.readBytes(reply, got, n);
                got += n;
            } finally {
                b.release();
            }
            if (got < reply.length) {
                return;
            }
            EchoLoad.checkReply(idx, round, msg, reply);
            received += got;
            got = 0;
            if (++round < Workload.W8_ROUNDS) {
                c.writeAndFlush(out.retainedDuplicate());
            } else {
                finish();
                c.close();
            }
        }

        private void finish() {
            if (!finished) {
                finished = true;
                done.countDown();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext c) {
            if (!finished) {
                errors.add(new EOFException("client " + idx + " closed in round " + round));
                finish();
            }
            c.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            errors.add(cause);
            finish();
            c.close();
        }
    }

    @Override
    public Map<String, Double> w8() throws Exception {
        int clients = Workload.W8_CLIENTS;
        EventLoopGroup loop = new NioEventLoopGroup(1);
        try {
            Server server = new Server(loop);
            CountDownLatch connected = new CountDownLatch(clients);
            CountDownLatch done = new CountDownLatch(clients);
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) EchoLoad.CONNECT_TIMEOUT.toMillis());
            List<Client> cs = new ArrayList<>(clients);
            List<ChannelFuture> conns = new ArrayList<>(clients);
            try {
                for (int i = 0; i < clients; i++) {
                    Client c = new Client(i, connected, done, errors);
                    cs.add(c);
                    conns.add(b.clone().handler(c).connect(server.channel.localAddress()));
                }
                for (ChannelFuture f : conns) {
                    if (!f.await(EchoLoad.CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || !f.isSuccess()) {
                        throw new IllegalStateException("client not connected", f.cause());
                    }
                }
                if (!connected.await(EchoLoad.CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("clients not active after " + EchoLoad.CONNECT_TIMEOUT);
                }
                long cpu0 = EchoLoad.processCpuNanos();
                long t0 = System.nanoTime();
                loop.execute(() -> {
                    for (Client c : cs) {
                        c.start();
                    }
                });
                if (!done.await(TIMEOUT_S, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("clients not done after " + TIMEOUT_S + " s");
                }
                long t1 = System.nanoTime();
                long cpu1 = EchoLoad.processCpuNanos();
                if (!errors.isEmpty()) {
                    throw new IllegalStateException("a client failed", errors.peek());
                }
                long received = 0;
                for (ChannelFuture f : conns) {
                    if (!f.channel().closeFuture().await(TIMEOUT_S, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("client " + f.channel() + " still open");
                    }
                }
                for (Client c : cs) {
                    EchoLoad.checkBytes("client " + c.idx, c.received, (long) Workload.W8_ROUNDS * Workload.W8_SIZE);
                    received += c.received;
                }
                EchoLoad.checkBytes("W8 clients", received, EchoLoad.w8Bytes(clients));
                server.stop(EchoLoad.w8Bytes(clients));
                return EchoLoad.w8Result(t1 - t0, cpu1 - cpu0, clients);
            } finally {
                for (ChannelFuture f : conns) {
                    f.channel().close();
                }
                server.channel.close();
                for (Client c : cs) {
                    c.out.release(); // each write took a retained duplicate of its own
                }
            }
        } finally {
            shutdown(loop);
        }
    }

    @Override
    public Map<String, Double> l8() throws Exception {
        EventLoopGroup loop = new NioEventLoopGroup(1);
        try {
            Server server = new Server(loop);
            try {
                Map<String, Double> m = EchoLoad.latencyClient(server.port());
                server.stop((long) Workload.L8_ROUNDS * Workload.W8_SIZE);
                return m;
            } finally {
                server.channel.close();
            }
        } finally {
            shutdown(loop);
        }
    }

    private static void shutdown(EventLoopGroup loop) throws InterruptedException {
        if (!loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("event loop did not terminate");
        }
    }

    @Override
    public void close() {
        // the loops are made and shut down per repetition
    }
}
