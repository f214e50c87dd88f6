package dev.tend.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.config.Config;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.SupervisorSettings;
import dev.tend.engine.WorkerState;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.ConfigFiles;
import dev.tend.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The second signal ends tend even when its loop is stuck: real workers, a loop the test wedges on purpose. */
class LastResortTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void shouldKillEveryWorkerGroupAndHaltWhenTheLoopIsStuck() throws Exception {
        Config config = ConfigFiles.load(dir, """
                [pool.w]
                command = "sleep 1000 & exec sleep 1000"
                count = 2
                """);
        Reactor reactor = new Reactor(Throwable::printStackTrace);
        Supervisor supervisor = new Supervisor(config, new SupervisorSettings(System.getenv(), -1, 1,
                System::currentTimeMillis), line -> { }, reactor);
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        LastResort lastResort = new LastResort(Duration.ofMillis(300), halted::complete);
        supervisor.addListener(lastResort);
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> second = new CompletableFuture<>();
        supervisor.addListener(new SupervisorListener() {
            @Override
            public void workerChanged(WorkerStatus status) {
                if (status.state() == WorkerState.RUNNING) {
                    (status.name().equals("w.1") ? first : second).complete(status.pid());
                }
            }
        });
        CountDownLatch unstick = new CountDownLatch(1);
        Thread loop = new Thread(reactor::run, "test-loop");
        reactor.execute(supervisor::start);
        loop.start();
        int[] pids = {first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)};
        try {
            reactor.execute(() -> {
                try {
                    unstick.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            lastResort.arrived(Signal.TERM);
            assertFalse(halted.isDone());
            lastResort.arrived(Signal.TERM);
            assertEquals(1, halted.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            for (int pid : pids) {
                Await.until(WAIT, "worker " + pid + " killed", () -> !Processes.alive(pid));
            }
            assertTrue(loop.isAlive(), "the loop was stuck all along");
        } finally {
            unstick.countDown();
            reactor.execute(() -> supervisor.onSignal(Signal.INT));
            reactor.execute(() -> supervisor.onSignal(Signal.INT));
            loop.join(WAIT.toMillis());
            reactor.close();
            for (int pid : pids) {
                Processes.killQuietly(pid);
            }
        }
    }

    @Test
    void shouldDoNothingOnceTheRunHasEnded() throws Exception {
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        LastResort lastResort = new LastResort(Duration.ofMillis(50), halted::complete);
        lastResort.ended();
        lastResort.arrived(Signal.INT);
        lastResort.arrived(Signal.INT);
        assertEquals(-1, halted.completeOnTimeout(-1, 500, TimeUnit.MILLISECONDS).get(), "halted after the end");
    }
}
