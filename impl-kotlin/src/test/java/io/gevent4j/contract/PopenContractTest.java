package io.gevent4j.contract;

import io.gevent4j.subprocess.Popen;
import io.gevent4j.subprocess.TimeoutExpiredException;
import io.gevent4j.testing.contract.WaitableContract;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/** The wait contract for {@link Popen}: a {@code cat} that is ready once it exited, made to exit by closing its stdin. */
class PopenContractTest extends WaitableContract<Popen> {
    @Override
    protected Popen newUnready() throws IOException {
        return new Popen(new ProcessBuilder("cat")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD));
    }

    @Override
    protected void makeReady(Popen p) throws IOException {
        Objects.requireNonNull(p.stdin()).close(); // cat sees the end of its input and exits
    }

    @Override
    protected boolean waitFor(Popen p, Duration timeout) {
        try {
            p.waitFor(timeout);
            return true;
        } catch (TimeoutExpiredException e) {
            return false;
        }
    }

    @Override
    protected void dispose(Popen p) {
        p.kill();
    }
}
