package dev.tend.engine;

import dev.tend.config.WorkerSettings;

/**
 * The identity and settings of one worker.
 *
 * @param name     {@code POOL.I} for pool workers, the requested name for lazily started ones.
 * @param pool     the pool (or lazy declaration) it belongs to.
 * @param instance its number within the pool, 1…N (1 for lazily started workers).
 * @param settings how it runs.
 */
public record WorkerSpec(String name, String pool, int instance, WorkerSettings settings) {}
