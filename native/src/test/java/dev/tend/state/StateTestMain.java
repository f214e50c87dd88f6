package dev.tend.state;

import dev.tend.worker.Stdin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Helper processes for the cross-process tests; the first argument picks the role. Each prints a line when
 * it is in position, so tests wait for events rather than for time.
 */
public final class StateTestMain {
    private StateTestMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "torture-writer" -> tortureWriter(Path.of(args[1]), args[2], Long.parseLong(args[3]),
                    Integer.parseInt(args[4]));
            case "contend" -> contend(Path.of(args[1]), args[2], Long.parseLong(args[3]), Long.parseLong(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 1);
            case "lock-holder" -> holdLock(Path.of(args[1]), args[2], args.length > 3 && args[3].equals("mid-write"));
            case "reader" -> read(Path.of(args[1]), args[2]);
            case "stdin-eof" -> stdinEof();
            case "warmup" -> warmup(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    /** Publishes checksummed snapshots of random sizes as fast as it can, until killed. */
    private static void tortureWriter(Path file, String slot, long epoch, int maxSize) {
        Payloads.Source source = new Payloads.Source(16, maxSize, new SplittableRandom(epoch));
        try (Publisher publisher = Publisher.open(file, slot, epoch)) {
            PublishResult first = publisher.publish(source.make(epoch, 0));
            System.out.println("first " + first.version());
            System.out.flush();
            for (long n = 1; ; n++) {
                publisher.publish(source.make(epoch, n));
            }
        }
    }

    /**
     * Publishes distinct snapshots into a slot another process publishes into too, from {@code threads} threads
     * with a publisher each, from the moment the supervisor marks the slot RUNNING until it moves the slot to a
     * new epoch (which refuses the next publish). Reports how many it published and how often another writer
     * (thread or process) got in between two publishes of one thread. Writer ids are {@code 100 * writer + thread}.
     */
    private static void contend(Path file, String slot, long epoch, long writer, int threads)
            throws InterruptedException {
        AtomicInteger published = new AtomicInteger();
        AtomicInteger interleaved = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Publisher> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            publishers.add(Publisher.open(file, slot, epoch));
        }
        try (StateReader reader = StateReader.open(file)) {
            SlotReader slotReader = reader.slot(slot);
            System.out.println("ready");
            System.out.flush();
            while (slotReader.owner().state() != OwnerState.RUNNING) {
                Thread.onSpinWait();
            }
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Publisher publisher = publishers.get(t);
                long id = 100 * writer + t;
                Thread thread = new Thread(() -> {
                    long last = -1;
                    try {
                        for (int n = 0; ; n++) {
                            PublishResult result = publisher.publish(Payloads.make(id, n, 64 + n % 2048));
                            if (result.status() == PublishResult.Status.PUBLISHED) {
                                published.incrementAndGet();
                                if (last >= 0 && result.version() != last + 1) {
                                    interleaved.incrementAndGet();
                                }
                                last = result.version();
                            }
                        }
                    } catch (StateException e) {
                        if (e.reason() != StateException.Reason.NOT_OWNER) {
                            failures.add(e);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                running.add(thread);
                thread.start();
            }
            for (Thread thread : running) {
                thread.join();
            }
        } finally {
            publishers.forEach(Publisher::close);
        }
        if (!failures.isEmpty()) {
            failures.peek().printStackTrace();
            System.out.println("failed " + failures.peek());
            System.exit(1);
        }
        System.out.println("done " + published + " " + interleaved);
    }

    /**
     * Takes a slot's lock the way any publisher does, then holds it until stdin closes. With {@code midWrite}, it
     * also starts the next version the way a publisher does (odd sequence, part of a payload), so that a kill
     * leaves what a publisher killed in the middle of a write leaves.
     */
    private static void holdLock(Path file, String slotName, boolean midWrite) {
        try (Publisher publisher = Publisher.openAsSupervisor(file, slotName)) {
            publisher.slotLock().lock();
            if (midWrite) {
                int slot;
                try (StateReader reader = StateReader.open(file)) {
                    slot = reader.slots().indexOf(slotName);
                }
                try (RawFile raw = new RawFile(file)) {
                    long next = raw.publishedVersion(slot) + 1;
                    long buffer = raw.buffer(slot, (int) (next & 1));
                    raw.putLong(buffer + StateFileLayout.SEQ_OFFSET, 2 * next - 1);
                    raw.region(buffer + StateFileLayout.PAYLOAD_OFFSET + 8).copyIn(
                            buffer + StateFileLayout.PAYLOAD_OFFSET, new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, 0, 8);
                }
            }
            System.out.println("locked");
            System.out.flush();
            Stdin.awaitEof(Duration.ofMinutes(5));
            publisher.slotLock().unlock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads continuously until stdin closes: the slot {@code watched} must always hold valid checksummed
     * snapshots with growing versions, and every other slot that appears must be readable.
     */
    private static void read(Path file, String watched) {
        long reads = 0;
        long changes = 0;
        long lastVersion = -1;
        Map<String, Long> seen = new HashMap<>();
        try (StateReader reader = StateReader.open(file)) {
            SlotReader slot = reader.slot(watched);
            System.out.println("started");
            System.out.flush();
            do {
                for (int i = 0; i < 1000; i++) {
                    Snapshot snapshot = slot.snapshot();
                    reads++;
                    if (snapshot.version() != lastVersion) {
                        if (snapshot.version() < lastVersion) {
                            throw new AssertionError("version went back from " + lastVersion + " to "
                                    + snapshot.version());
                        }
                        if (snapshot.version() > 0) {
                            Payloads.verify(snapshot);
                        }
                        lastVersion = snapshot.version();
                        changes++;
                    }
                }
                readAll(reader, watched, seen);
            } while (!Stdin.isEof());
            // Everything the test did happened before it closed stdin: one more pass sees all of it.
            readAll(reader, watched, seen);
            lastVersion = slot.snapshot().version();
        } catch (Throwable t) {
            System.out.println("error " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("ok reads=" + reads + " changes=" + changes + " slots=" + seen.size()
                + " lastVersion=" + lastVersion);
    }

    private static void readAll(StateReader reader, String watched, Map<String, Long> seen) {
        for (String name : reader.slots()) {
            Snapshot other = reader.slot(name).snapshot();
            Long before = seen.put(name, other.version());
            if (before != null && before > other.version()) {
                throw new AssertionError("slot " + name + " went back to version " + other.version());
            }
            if (other.version() > 0) {
                Payloads.verify(other);
            }
        }
    }

    /** Loads what the other roles load, then exits normally (so that a class-data archive gets dumped). */
    private static void warmup(Path file) {
        try (StateFile state = StateFile.create(file)) {
            int slot = state.allocate("w.1", "w");
            long epoch = state.newIncarnation(slot).token();
            try (Publisher publisher = Publisher.open(file, "w.1", epoch);
                 StateReader reader = StateReader.open(file)) {
                Payloads.Source source = new Payloads.Source(2, 1024, new SplittableRandom(1));
                publisher.publish(source.make(epoch, 0));
                publisher.tryPublish(source.make(epoch, 1));
                Payloads.verify(reader.slot("w").snapshot());
                reader.slots();
                reader.read("w.1");
            }
        }
        Stdin.isEof();
    }

    private static void stdinEof() throws InterruptedException {
        Stdin.onEof(() -> {
            System.out.println("callback");
            System.out.flush();
        });
        System.out.println("waiting " + Stdin.isEof() + " " + Stdin.awaitEof(Duration.ofMillis(20)));
        System.out.flush();
        boolean eof = Stdin.awaitEof(Duration.ofSeconds(30));
        System.out.println("eof " + eof + " " + Stdin.isEof());
        Stdin.onEof(() -> System.out.println("late callback"));
        System.out.flush();
    }
}
