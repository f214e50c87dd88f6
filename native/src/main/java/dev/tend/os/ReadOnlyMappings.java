package dev.tend.os;

import com.sun.jna.Pointer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets go of the pages of the files this process maps read-only ({@code libjvm.so} above all): a JVM's start-up
 * runs through about 15 MiB of libjvm's code and constants that an idle process does not touch again, yet they
 * count in its resident size for as long as it runs. {@code madvise(MADV_DONTNEED)} removes them from the
 * process's page tables; they stay in the page cache (shared with every other process that maps the file, and
 * reclaimable), and the next touch maps a page back from there (a minor fault), so only what is used again
 * returns.
 *
 * <p>Only mappings that cannot hold data of their own are touched: a file mapping without write permission and
 * without anonymous pages (private copies, such as the relocations a dynamic loader applies before it makes a
 * library's RELRO segment read-only), whose every page is the file's as the page cache has it. Dropping a private
 * copy would lose it.
 */
public final class ReadOnlyMappings {
    private static final Path SMAPS = Path.of("/proc/self/smaps");

    private ReadOnlyMappings() {}

    /** Drops the resident pages of every such mapping; returns how many KiB were resident in them. */
    public static long release() throws IOException {
        List<Mapping> droppable = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(SMAPS, StandardCharsets.ISO_8859_1)) {
            Mapping mapping = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                if (space > 0 && line.charAt(space - 1) != ':') {
                    mapping = Mapping.droppable(line, space);
                } else if (mapping != null && line.startsWith("Rss:")) {
                    mapping.rssKib = kib(line);
                } else if (mapping != null && line.startsWith("Anonymous:")) {
                    if (kib(line) == 0 && mapping.rssKib > 0) {
                        droppable.add(mapping);
                    }
                    mapping = null;
                }
            }
        }
        // All at the end, in a loop that runs little code: what runs after a drop maps its pages back (the parsing
        // above, run after libjvm's drop, took back half of them).
        long released = 0;
        for (Mapping m : droppable) {
            if (LibC.madvise(new Pointer(m.start), m.end - m.start, LibC.MADV_DONTNEED) == 0) {
                released += m.rssKib;
            }
        }
        return released;
    }

    /** The number of a field such as {@code Rss:      1234 kB}. */
    private static long kib(String field) {
        int start = field.indexOf(':') + 1;
        while (start < field.length() && field.charAt(start) == ' ') {
            start++;
        }
        int end = field.indexOf(' ', start);
        return Long.parseLong(field, start, end < 0 ? field.length() : end, 10);
    }

    /** A mapping that may be dropped if it holds no anonymous page. */
    private static final class Mapping {
        final long start;
        final long end;
        long rssKib;

        private Mapping(long start, long end) {
            this.start = start;
            this.end = end;
        }

        /**
         * The mapping a header line of smaps describes ({@code START-END PERMS OFFSET DEV INODE [PATH]}, {@code space}
         * the index of its first space), if it maps a file readable and not writable; null otherwise. Parsed with
         * indexOf rather than a regular expression: the less code runs here, the fewer of libjvm's pages return.
         */
        static Mapping droppable(String header, int space) {
            // r--p, r-xp, r--s, r-xs.
            if (header.length() < space + 5 || header.charAt(space + 1) != 'r' || header.charAt(space + 2) != '-') {
                return null;
            }
            int afterPerms = header.indexOf(' ', space + 1);
            int afterOffset = header.indexOf(' ', afterPerms + 1);
            int afterDev = header.indexOf(' ', afterOffset + 1);
            int afterInode = afterDev < 0 ? -1 : header.indexOf(' ', afterDev + 1);
            if (afterInode < 0) {
                return null;
            }
            int path = header.indexOf('/', afterInode);
            // Inode 0: anonymous memory, or a pseudo-mapping such as [vdso]; files in /dev can be device memory.
            if (path < 0 || header.startsWith("0 ", afterDev + 1) || header.startsWith("/dev/", path)) {
                return null;
            }
            int dash = header.indexOf('-');
            return new Mapping(Long.parseUnsignedLong(header, 0, dash, 16), Long.parseUnsignedLong(header, dash + 1, space, 16));
        }
    }
}
