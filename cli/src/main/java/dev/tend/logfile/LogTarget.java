package dev.tend.logfile;

import java.nio.file.Path;

/**
 * One log file, as the lines written to it say how to rotate it.
 *
 * @param path    the file.
 * @param maxSize the size at which it is rotated; 0: never.
 * @param keep    how many rotated files are kept.
 */
public record LogTarget(Path path, long maxSize, int keep) {}
