package dev.tend.config;

/**
 * A {@code [pool.NAME]} table: {@code count} copies of one worker, named {@code NAME.1} … {@code NAME.N}.
 * A pool whose count is 1 is a named worker: it runs at most once.
 */
public record PoolConfig(String name, Count count, WorkerSettings worker) {}
