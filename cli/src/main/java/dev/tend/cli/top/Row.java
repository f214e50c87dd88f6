package dev.tend.cli.top;

import dev.tend.protocol.WorkerEntry;
import java.util.List;

/** One selectable line of the view's table: a pool, or one of its workers under it. */
sealed interface Row {
    /** What actions and the output pane name: the pool or the worker. */
    String target();

    /** The pool the row belongs to, which {@code +} and {@code -} scale. */
    String pool();

    /** A pool, with the workers listed under it. */
    record PoolRow(String pool, List<WorkerEntry> workers) implements Row {
        public PoolRow {
            workers = List.copyOf(workers);
        }

        @Override
        public String target() {
            return pool;
        }
    }

    /** A worker. */
    record WorkerRow(WorkerEntry worker) implements Row {
        @Override
        public String target() {
            return worker.name();
        }

        @Override
        public String pool() {
            return worker.pool();
        }
    }
}
