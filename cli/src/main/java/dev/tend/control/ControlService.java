package dev.tend.control;

import dev.tend.engine.LogLine;
import dev.tend.engine.Operations;
import dev.tend.engine.Supervisor;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.Reactor;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.BadRequestException;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.JobEntry;
import dev.tend.protocol.LogEvent;
import dev.tend.protocol.LogFiles;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import dev.tend.protocol.WorkerEntry;
import dev.tend.protocol.WorkerEntry.PublishedState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The operations of the control socket, mapped onto the engine's {@link Operations}: one JSON request in,
 * JSON lines out. Runs on the event loop's thread. The request and reply shapes are the records of
 * {@code dev.tend.protocol}, documented in docs/control-protocol.md; every reply ends with {@code "ok"}, and
 * failures carry tend's exit code.
 */
public final class ControlService implements ControlHandler {
    /** Facts about a worker that live outside the engine: the state it published into the state file. */
    public interface WorkerFacts {
        /** What {@code worker} published; empty when the state file has no slot for it. */
        Optional<PublishedState> of(String worker);
    }

    private final Supervisor supervisor;
    private final WorkerFacts facts;
    private final LongSupplier epochMillis;
    private final long pid;
    private final StatusFeeds feeds;

    /** {@code reactor} is the supervisor's loop. */
    public ControlService(Supervisor supervisor, WorkerFacts facts, LongSupplier epochMillis, long pid, Reactor reactor) {
        this.supervisor = supervisor;
        this.facts = facts;
        this.epochMillis = epochMillis;
        this.pid = pid;
        this.feeds = new StatusFeeds(reactor, this::status, supervisor.usage());
        supervisor.addListener(feeds);
    }

    @Override
    public void handle(Map<String, Object> json, Reply reply) {
        Request request;
        try {
            request = Request.parse(json);
        } catch (BadRequestException e) {
            reply.fail(ExitCode.USAGE, e.getMessage());
            return;
        }
        Operations ops = supervisor.operations();
        Consumer<Operations.Result> answer = r -> reply.end(result(r).toJson());
        if (request instanceof Request.Ps ps) {
            supervisor.usage().refresh();
            reply.end(ps.table() ? status().toTableJson() : status().toJson());
        } else if (request instanceof Request.Action a) {
            switch (a.op()) {
                case START -> ops.start(a.targets(), a.untilDone(), answer);
                case STOP -> ops.stop(a.targets(), a.untilDone(), a.withDependents(), answer);
                default -> ops.restart(a.targets(), a.untilDone(), a.rolling(), answer);
            }
        } else if (request instanceof Request.Scale s) {
            ops.scale(s.pool(), s.count(), s.untilDone(), s.force(), answer);
        } else if (request instanceof Request.Require r) {
            ops.require(r.names(), r.timeout(), answer);
        } else if (request instanceof Request.Reload) {
            ops.reloadFromDisk(answer);
        } else if (request instanceof Request.Down) {
            ops.down(answer);
        } else if (request instanceof Request.Logs l) {
            logs(l, reply);
        } else if (request instanceof Request.Subscribe) {
            feeds.subscribe(reply);
        } else {
            throw new IllegalStateException("no operation for " + request);
        }
    }

    private InstanceStatus status() {
        return new InstanceStatus(supervisor.config().instanceName(), pid, supervisor.config().file().toString(),
                supervisor.stopping(), entries(supervisor.status()), supervisor.usage().own());
    }

    private ActionResult result(Operations.Result r) {
        return new ActionResult(r.code(), r.message(), entries(r.workers()), r.failures());
    }

    private List<WorkerEntry> entries(List<WorkerStatus> statuses) {
        long now = epochMillis.getAsLong();
        List<WorkerEntry> entries = new ArrayList<>(statuses.size());
        for (WorkerStatus w : statuses) {
            long uptime = w.pid() > 0 && w.startedEpochMillis() > 0 ? Math.max(0, now - w.startedEpochMillis()) : 0;
            entries.add(new WorkerEntry(w.name(), w.pool(), w.instance(), w.state().label(), w.pid(), w.ready(),
                    w.finishedCleanly(), uptime, w.stateSinceMillis(), w.restarts(), w.failures(), w.attempts(),
                    w.lastExit(), w.reason(), w.status(), facts.of(w.name()), w.health(),
                    supervisor.usage().of(w.name(), w.pid()),
                    w.job().map(j -> new JobEntry(j.nextRunEpochMillis(), j.nextRunEpochMillis() - now,
                            j.lastRunMillis()))));
        }
        return entries;
    }

    private void logs(Request.Logs request, Reply reply) {
        Operations ops = supervisor.operations();
        List<LogLine> recent;
        try {
            recent = ops.recentLogs(request.targets(), request.lines());
        } catch (IllegalArgumentException e) {
            reply.fail(ExitCode.NOT_FOUND, e.getMessage());
            return;
        }
        for (LogLine line : recent) {
            reply.send(event(line).toJson());
        }
        if (request.files()) {
            // After the recent lines: the client reads the files, then drops what it already has from them.
            reply.send(new LogFiles(ops.logFiles(request.targets())).toJson());
        }
        if (!request.follow()) {
            reply.end(Map.of(Protocol.OK, true));
            return;
        }
        reply.onClose(ops.followLogs(request.targets(), line -> reply.send(event(line).toJson())));
    }

    private static LogEvent event(LogLine line) {
        return new LogEvent(line.sequence(), line.epochMillis(), line.source(),
                line.channel().name().toLowerCase(Locale.ROOT), line.text());
    }
}
