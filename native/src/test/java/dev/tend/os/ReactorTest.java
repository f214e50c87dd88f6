package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReactorTest {
    private static Thread runOnThread(Reactor reactor) {
        Thread t = new Thread(reactor::run, "reactor-test");
        t.start();
        return t;
    }

    @Test
    void shouldRunTasksFromOtherThreadsOnTheLoopThread() throws Exception {
        try (Reactor reactor = new Reactor(Throwable::printStackTrace)) {
            Thread loop = runOnThread(reactor);
            List<String> threads = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 100; i++) {
                reactor.execute(() -> threads.add(Thread.currentThread().getName()));
            }
            Await.until(Duration.ofSeconds(5), "100 tasks", () -> threads.size() == 100);
            assertTrue(threads.stream().allMatch("reactor-test"::equals));
            reactor.stop();
            loop.join(5000);
        }
    }

    @Test
    void shouldFireTimersInDeadlineOrderAndSkipCancelledOnes() throws Exception {
        AtomicLong clock = new AtomicLong();
        List<String> fired = new CopyOnWriteArrayList<>();
        try (Reactor reactor = new Reactor(Throwable::printStackTrace, clock::get)) {
            reactor.schedule(30, TimeUnit.MILLISECONDS, () -> fired.add("late"));
            reactor.schedule(10, TimeUnit.MILLISECONDS, () -> fired.add("early"));
            Reactor.Timer cancelled = reactor.schedule(20, TimeUnit.MILLISECONDS, () -> fired.add("cancelled"));
            cancelled.cancel();
            clock.set(TimeUnit.MILLISECONDS.toNanos(31));
            reactor.execute(reactor::stop);
            reactor.run();
            assertEquals(List.of("early", "late"), fired);
        }
    }

    @Test
    void shouldDispatchReadableDescriptorsAndDropStaleTokens() throws Exception {
        Fds.Pipe a = Fds.pipe();
        Fds.Pipe b = Fds.pipe();
        List<String> seen = new ArrayList<>();
        try (Reactor reactor = new Reactor(Throwable::printStackTrace); Memory one = new Memory(1)) {
            Reactor.Registration[] ra = new Reactor.Registration[1];
            ra[0] = reactor.register(a.readFd(), Interest.READ, ev -> {
                seen.add("a");
                ra[0].cancel();
            });
            reactor.register(b.readFd(), Interest.READ, ev -> {
                seen.add("b");
                reactor.stop();
            });
            one.setByte(0, (byte) 1);
            LibC.write(a.writeFd(), one, 1);
            LibC.write(b.writeFd(), one, 1);
            reactor.run();
            assertTrue(seen.contains("a") && seen.contains("b"), seen.toString());
            assertEquals(1, seen.stream().filter("a"::equals).count(), "a cancelled registration fires no more");
        } finally {
            for (int fd : new int[] {a.readFd(), a.writeFd(), b.readFd(), b.writeFd()}) {
                Fds.close(fd);
            }
        }
    }

    @Test
    void shouldRunATimerThatCameDueDuringABatchBeforeTheNextHandler() throws Exception {
        AtomicLong clock = new AtomicLong();
        Fds.Pipe a = Fds.pipe();
        Fds.Pipe b = Fds.pipe();
        List<String> seen = new ArrayList<>();
        try (Reactor reactor = new Reactor(Throwable::printStackTrace, clock::get); Memory one = new Memory(1)) {
            reactor.schedule(10, TimeUnit.MILLISECONDS, () -> {
                seen.add("timer");
                if (seen.size() == 3) {
                    reactor.stop();
                }
            });
            Reactor.Registration[] registrations = new Reactor.Registration[2];
            int[] fds = {a.readFd(), b.readFd()};
            for (int i = 0; i < 2; i++) {
                int index = i;
                registrations[i] = reactor.register(fds[i], Interest.READ, ev -> {
                    // The first handler of the batch takes long enough for the timer to come due.
                    clock.set(TimeUnit.MILLISECONDS.toNanos(11));
                    seen.add("handler");
                    registrations[index].cancel();
                    if (seen.size() == 3) {
                        reactor.stop();
                    }
                });
            }
            one.setByte(0, (byte) 1);
            LibC.write(a.writeFd(), one, 1);
            LibC.write(b.writeFd(), one, 1);
            reactor.run();
            assertEquals(List.of("handler", "timer", "handler"), seen);
        } finally {
            for (int fd : new int[] {a.readFd(), a.writeFd(), b.readFd(), b.writeFd()}) {
                Fds.close(fd);
            }
        }
    }

    @Test
    void shouldReportWhatADescriptorIsReadyFor() {
        Fds.Pipe pipe = Fds.pipe();
        int[] writeFd = {pipe.writeFd()};
        List<String> seen = new ArrayList<>();
        try (Reactor reactor = new Reactor(Throwable::printStackTrace)) {
            // No interest at all: only the hang-up of the other end is reported.
            Reactor.Registration reader = reactor.register(pipe.readFd(), Interest.NONE, ready -> {
                seen.add("reader " + ready);
                reactor.stop();
            });
            Reactor.Registration[] writer = new Reactor.Registration[1];
            writer[0] = reactor.register(writeFd[0], Interest.WRITE, ready -> {
                seen.add("writer " + ready);
                writer[0].cancel();
                Fds.close(writeFd[0]);
                writeFd[0] = -1;
            });
            reactor.run();
            reader.cancel();
            assertEquals(List.of("writer " + new Readiness(false, true, false, false),
                    "reader " + new Readiness(false, false, true, false)), seen);
            assertTrue(new Readiness(false, false, true, false).hangUpOrError());
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(writeFd[0]);
        }
    }

    @Test
    void shouldNameEachInterestOnce() {
        assertEquals(Interest.NONE, Interest.of(false, false));
        assertEquals(Interest.READ, Interest.of(true, false));
        assertEquals(Interest.WRITE, Interest.of(false, true));
        assertEquals(Interest.READ_WRITE, Interest.of(true, true));
        for (Interest interest : Interest.values()) {
            assertEquals(interest, Interest.of(interest.read(), interest.write()));
        }
        assertTrue(Readiness.ofEpollEvents(LibC.EPOLLIN | LibC.EPOLLERR) == Readiness.ofEpollEvents(
                LibC.EPOLLIN | LibC.EPOLLERR | 0x2000), "cached, other bits ignored");
        assertEquals(new Readiness(true, false, false, true), Readiness.ofEpollEvents(LibC.EPOLLIN | LibC.EPOLLERR));
    }

    @Test
    void shouldContainHandlerFailures() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Reactor reactor = new Reactor(errors::add)) {
            reactor.execute(() -> {
                throw new IllegalStateException("boom");
            });
            reactor.execute(reactor::stop);
            reactor.run();
            assertEquals("boom", errors.get(0).getMessage());
        }
    }

    @Test
    void shouldIgnoreWakeupsAfterClose() throws Exception {
        Reactor reactor = new Reactor(Throwable::printStackTrace);
        reactor.close();
        // What a late signal handler thread does; it must neither crash nor write to a reused descriptor.
        Thread late = new Thread(() -> reactor.execute(() -> { }));
        late.start();
        late.join(5000);
        reactor.close();
    }
}
