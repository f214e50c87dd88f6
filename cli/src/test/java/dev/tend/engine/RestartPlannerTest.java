package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tend.config.Command;
import dev.tend.config.LogSettings;
import dev.tend.config.ReadyMode;
import dev.tend.config.ResourceLimits;
import dev.tend.config.RestartPolicy;
import dev.tend.config.StartRules;
import dev.tend.config.WatchSettings;
import dev.tend.config.WorkerSettings;
import dev.tend.os.ExitStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartPlannerTest {
    private static WorkerSettings settings(RestartPolicy policy, Command command) {
        return new WorkerSettings(command, Path.of("/"), Map.of(), policy, Duration.ofMillis(100),
                Duration.ofSeconds(1), 4, Duration.ofSeconds(5), Optional.empty(), ReadyMode.SPAWNED,
            new StartRules(Duration.ZERO, List.of()), Optional.empty(), Duration.ZERO, LogSettings.NONE,
            ResourceLimits.NONE, WatchSettings.NONE, Optional.empty());
    }

    private static final WorkerSettings ON_FAILURE = settings(RestartPolicy.ON_FAILURE, new Command.Exec(List.of("x")));
    private static final ExitStatus FAIL = new ExitStatus.Exited(1);
    private static final ExitStatus OK = new ExitStatus.Exited(0);
    private static final Duration SHORT = Duration.ofMillis(10);

    @Test
    void shouldDoubleDelayUpToMax() {
        assertEquals(Duration.ofMillis(100), RestartPlanner.backoff(1, ON_FAILURE));
        assertEquals(Duration.ofMillis(200), RestartPlanner.backoff(2, ON_FAILURE));
        assertEquals(Duration.ofMillis(800), RestartPlanner.backoff(4, ON_FAILURE));
        assertEquals(Duration.ofSeconds(1), RestartPlanner.backoff(5, ON_FAILURE));
        assertEquals(Duration.ofSeconds(1), RestartPlanner.backoff(500, ON_FAILURE));
    }

    @Test
    void shouldCountFailuresAndGiveUp() {
        assertEquals(new RestartPlanner.Decision(WorkerState.BACKOFF, Duration.ofMillis(100), 1, ""),
                RestartPlanner.afterExit(FAIL, SHORT, 0, ON_FAILURE));
        assertEquals(new RestartPlanner.Decision(WorkerState.BACKOFF, Duration.ofMillis(400), 3, ""),
                RestartPlanner.afterExit(new ExitStatus.Killed(9, false), SHORT, 2, ON_FAILURE));
        assertEquals(WorkerState.FAILED, RestartPlanner.afterExit(FAIL, SHORT, 3, ON_FAILURE).next());
    }

    @Test
    void shouldResetFailuresAndRestartAtOnceAfterLongRun() {
        assertEquals(new RestartPlanner.Decision(WorkerState.BACKOFF, Duration.ZERO, 1, ""),
                RestartPlanner.afterExit(FAIL, Duration.ofSeconds(2), 3, ON_FAILURE));
        assertEquals(new RestartPlanner.Decision(WorkerState.BACKOFF, Duration.ZERO, 1, ""),
                RestartPlanner.afterExit(new ExitStatus.Killed(9, false), Duration.ofSeconds(2), 0, ON_FAILURE));
        // Failing again soon after: the delay starts from backoff_min.
        assertEquals(new RestartPlanner.Decision(WorkerState.BACKOFF, Duration.ofMillis(200), 2, ""),
                RestartPlanner.afterExit(FAIL, SHORT, 1, ON_FAILURE));
    }

    @Test
    void shouldFollowPolicies() {
        assertEquals(WorkerState.EXITED, RestartPlanner.afterExit(OK, SHORT, 2, ON_FAILURE).next());
        assertEquals(0, RestartPlanner.afterExit(OK, SHORT, 2, ON_FAILURE).failures());
        WorkerSettings always = settings(RestartPolicy.ALWAYS, new Command.Exec(List.of("x")));
        assertEquals(new RestartPlanner.Decision(WorkerState.BACKOFF, Duration.ofMillis(100), 0, ""),
                RestartPlanner.afterExit(OK, SHORT, 2, always));
        WorkerSettings never = settings(RestartPolicy.NEVER, new Command.Exec(List.of("x")));
        assertEquals(WorkerState.EXITED, RestartPlanner.afterExit(FAIL, SHORT, 0, never).next());
    }

    @Test
    void shouldGiveUpAtOnceOnShellCommandNotFound() {
        WorkerSettings shell = settings(RestartPolicy.ALWAYS, new Command.Shell("nope"));
        assertEquals(WorkerState.FAILED, RestartPlanner.afterExit(new ExitStatus.Exited(127), SHORT, 0, shell).next());
        assertEquals(WorkerState.BACKOFF, RestartPlanner.afterExit(new ExitStatus.Exited(127), SHORT, 0, ON_FAILURE).next(),
                "only the shell's 127 means command not found");
    }
}
