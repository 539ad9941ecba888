package io.gevent4j.testing;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;

/** Helpers of the subprocess suites: quiet children and byte/text conversions that keep every byte. */
public final class Processes {
    private Processes() {}

    /** A child that reads nothing (stdin from /dev/null) and whose output is discarded. */
    public static ProcessBuilder quiet(String... cmd) {
        return new ProcessBuilder(cmd)
                .redirectInput(Redirect.from(new File("/dev/null")))
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD);
    }

    /** {@code s} as ISO-8859-1 bytes: one byte a char, every byte value representable. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code b} as ISO-8859-1 text: one char a byte. */
    public static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
