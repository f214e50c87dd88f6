package dev.tend.state;

import static dev.tend.state.StateFileLayout.LOCK_FREE;
import static dev.tend.state.StateFileLayout.LOCK_OWNER_OFFSET;
import static dev.tend.state.StateFileLayout.lockPid;
import static dev.tend.state.StateFileLayout.lockStartMatches;

import dev.tend.os.ProcessInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The lock that serialises the publishers of one slot, in any processes: the descriptor's {@code lockOwner}
 * word. It is taken by CAS from {@link StateFileLayout#LOCK_FREE} to the taker's {@link ProcessIdentity#lockOwner}
 * (pid and start time in one word, so the holder is fully named the instant it holds the lock) and released by a
 * release store of {@code LOCK_FREE}. Uncontended, that is two stores to a cache line the publish writes anyway,
 * and no system call.
 *
 * <p>A holder killed while holding it leaves its name behind. A contender that finds the word taken asks
 * {@code /proc} whether that process still exists (only then: never on the uncontended path), and if it does
 * not, takes the lock over by CAS from the dead name. The latch protocol already tolerates a writer that died at
 * any step, so nothing needs repairing. The start time in the name keeps a recycled pid from passing for the
 * dead holder.
 *
 * <p>The name is per process, not per thread: two threads of one process hold the same name, so a thread never
 * takes the lock over from another thread of its own (live) process. Within a JVM, threads simply wait for each
 * other.
 *
 * <p>Thread-safe; one instance per publisher.
 */
final class SlotLock {
    /** Re-reads of the word with {@link Thread#onSpinWait} before yielding: an uncontended publish takes well under 1 µs. */
    private static final int SPINS = 200;
    /** Then {@link Thread#yield}s, for a holder that was descheduled (2 vCPUs run everything). */
    private static final int YIELDS = 20;
    /** Then parking, from this long, doubling up to {@link #LONGEST_PARK_NANOS}, with a liveness check each time. */
    private static final long FIRST_PARK_NANOS = 20_000;
    /** Bounds how late a waiter notices that a frozen holder was killed, and the {@code /proc} reads meanwhile. */
    private static final long LONGEST_PARK_NANOS = 1_000_000;
    /** How often {@link #tryLock} retries a CAS that lost a race; it never waits. */
    private static final int TRY_ATTEMPTS = 3;

    private final Region region;
    private final long word;
    private final long self;
    private volatile long takeovers;

    /**
     * @param region     a mapping covering the descriptor (mappings stay valid: the file never shrinks).
     * @param descriptor the slot descriptor's file offset.
     * @param self       this process's {@code lockOwner} value.
     */
    SlotLock(Region region, long descriptor, long self) {
        this.region = region;
        this.word = descriptor + LOCK_OWNER_OFFSET;
        this.self = self;
    }

    /**
     * Takes the lock if it is free or its holder is dead; never waits.
     *
     * @return false when a live process (this one included, through another thread or publisher) holds it.
     */
    boolean tryLock() {
        for (int attempt = 0; attempt < TRY_ATTEMPTS; attempt++) {
            if (region.compareAndSet(word, LOCK_FREE, self)) {
                return true;
            }
            long owner = region.getAcquire(word);
            if (owner == LOCK_FREE) {
                continue;
            }
            if (holderAlive(owner, self)) {
                return false;
            }
            if (takeOver(owner)) {
                return true;
            }
        }
        return false;
    }

    /** Takes the lock, waiting for a live holder as long as it takes; a dead holder's lock is taken over. */
    void lock() {
        if (region.compareAndSet(word, LOCK_FREE, self)) {
            return;
        }
        boolean interrupted = false;
        long park = FIRST_PARK_NANOS;
        for (int round = 0; ; round++) {
            long owner = region.getAcquire(word);
            if (owner == LOCK_FREE) {
                if (region.compareAndSet(word, LOCK_FREE, self)) {
                    break;
                }
            } else if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else if (!holderAlive(owner, self)) {
                if (takeOver(owner)) {
                    break;
                }
            } else {
                LockSupport.parkNanos(this, park);
                park = Math.min(2 * park, LONGEST_PARK_NANOS);
                // A publish cannot be abandoned halfway, so an interrupt is kept for the caller, not acted on
                // (and a pending one would turn every later park into a busy loop).
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases the lock; the caller holds it. The release store publishes everything written under it. */
    void unlock() {
        region.setRelease(word, LOCK_FREE);
    }

    /** CAS from the dead holder's name: of several contenders that judged it dead, exactly one wins. */
    private boolean takeOver(long deadOwner) {
        if (region.compareAndSet(word, deadOwner, self)) {
            takeovers++;
            return true;
        }
        return false;
    }

    /** The word as it is now: {@link StateFileLayout#LOCK_FREE} or a holder's name. */
    long owner() {
        return region.getAcquire(word);
    }

    /** How many times this lock was taken over from a dead holder (for tests). */
    long takeovers() {
        return takeovers;
    }

    /**
     * Whether the process that {@code owner} names may still be running, as far as {@code /proc} can tell.
     * Errs towards "alive": a wrong "alive" only makes a publisher wait longer, a wrong "dead" would let two
     * publishers write the same buffer.
     *
     * <ul>
     *   <li>{@code owner == self}: another thread of this very process, alive as long as the caller is.</li>
     *   <li>No {@code /proc/PID}: the process is gone and reaped.</li>
     *   <li>Another start time: the pid now belongs to a new process; the holder is gone.</li>
     *   <li>State Z or X with one thread: it exited and waits to be reaped. A zombie with more threads is a
     *       process whose main thread exited while the others run on: alive.</li>
     * </ul>
     */
    static boolean holderAlive(long owner, long self) {
        if (owner == self) {
            return true;
        }
        int pid = lockPid(owner);
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessInfo.Stat> stat;
        try {
            stat = ProcessInfo.readStat(pid);
        } catch (IOException e) {
            // It vanished while being read (gone), or cannot be read (EACCES): judged by whether it is there.
            return Files.exists(Path.of("/proc", Integer.toString(pid)));
        }
        return stat.isPresent() && lockStartMatches(owner, stat.get().startTime()) && !stat.get().exited();
    }
}
