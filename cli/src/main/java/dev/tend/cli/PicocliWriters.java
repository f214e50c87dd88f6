package dev.tend.cli;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The writers picocli gives a command line for standard output and standard error, for what tend prints
 * without picocli in its place (pre-rendered help, errors of commands run directly): picocli encodes text
 * itself, in the encoding of {@code sun.stdout.encoding} ({@code sun.stderr.encoding}) or else the default
 * charset, rather than in System.out's, and the bytes must be the same.
 */
final class PicocliWriters {
    private PicocliWriters() {}

    static PrintWriter out() {
        return writer(System.out, System.getProperty("sun.stdout.encoding"));
    }

    static PrintWriter err() {
        return writer(System.err, System.getProperty("sun.stderr.encoding"));
    }

    private static PrintWriter writer(OutputStream stream, String encoding) {
        Charset charset;
        try {
            charset = encoding == null ? Charset.defaultCharset()
                    : Charset.forName(encoding.equalsIgnoreCase("cp65001") ? "UTF-8" : encoding);
        } catch (IllegalArgumentException e) {
            charset = Charset.defaultCharset();
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }
}
