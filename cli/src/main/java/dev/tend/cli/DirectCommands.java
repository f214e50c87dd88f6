package dev.tend.cli;

import dev.tend.config.Durations;
import dev.tend.protocol.Request;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The client commands, set up without picocli when their command line is plain ({@link PlainArguments}):
 * picocli builds a command's model by reflection over its annotations, which cost a client more than the
 * JVM's own start-up, for commands that scripts and probes run over and over. {@code tend up} too: the model
 * came before the first worker's spawn. What each command accepts here
 * (option names, which take a value, defaults, how many parameters) repeats its annotations;
 * DirectCommandsTest parses command lines both ways and fails when the results differ. Every other command
 * line, and every command not listed, is parsed by picocli as before.
 */
final class DirectCommands {
    private DirectCommands() {}

    /**
     * The command {@code args} name, with its options and parameters set as picocli would set them; null
     * when picocli must parse them.
     */
    static Callable<Integer> parse(String[] args) {
        if (args.length == 0 || picocliConfigured()) {
            return null;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "ps", "status" -> ps(rest);
            case "get" -> get(rest);
            case "set" -> set(rest);
            case "start" -> targets(new StartCommand(), rest);
            case "stop" -> stop(rest);
            case "restart" -> restart(rest);
            case "scale" -> scale(rest);
            case "reload" -> reload(rest);
            case "down" -> down(rest);
            case "require" -> require(rest);
            case "logs" -> logs(rest);
            case "up" -> up(rest);
            default -> null;
        };
    }

    /** Runs a command set up by {@link #parse} and returns its exit code, reporting failures as picocli's run does. */
    static int run(Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            return ErrorReporter.report(e, PicocliWriters.err());
        }
    }

    /** Whether picocli's {@link DurationConverter} takes it; if not, picocli parses the line and reports the error. */
    private static boolean isDuration(String text) {
        try {
            Durations.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** System properties such as picocli.trimQuotes change how picocli parses: then it alone parses. */
    private static boolean picocliConfigured() {
        for (String property : System.getProperties().stringPropertyNames()) {
            if (property.startsWith("picocli.") && !property.equals("picocli.ansi")) {
                return true;
            }
        }
        return false;
    }

    /** Option names to main names: the pairs given, and {@code -c/--config} and {@code --name} with instance. */
    private static Map<String, String> names(boolean instance, String... pairs) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            names.put(pairs[i], pairs[i + 1]);
        }
        if (instance) {
            names.put("-c", "--config");
            names.put("--config", "--config");
            names.put("--name", "--name");
        }
        return names;
    }

    /** {@code --timeout} of the commands with {@link AnswerTimeout}; false when picocli must read the value. */
    private static boolean answerTimeout(PlainArguments a, AnswerTimeout answer) {
        String timeout = a.value("--timeout", null);
        if (timeout != null && !isDuration(timeout)) {
            return false;
        }
        answer.timeout = timeout == null ? null : Durations.parse(timeout);
        return true;
    }

    private static InstanceOptions instance(PlainArguments a) {
        InstanceOptions instance = new InstanceOptions();
        String config = a.value("--config", null);
        instance.config = config == null ? null : Path.of(config);
        instance.name = a.value("--name", null);
        return instance;
    }

    private static PsCommand ps(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--json", "--json", "--ready", "--ready", "--timeout", "--timeout"),
                List.of("--json", "--ready"));
        if (a == null || !a.parameters().isEmpty()) {
            return null;
        }
        PsCommand ps = new PsCommand();
        ps.instance = instance(a);
        if (!answerTimeout(a, ps.answer)) {
            return null;
        }
        ps.json = a.has("--json");
        ps.ready = a.has("--ready");
        return ps;
    }

    private static GetCommand get(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--json", "--json", "--wait", "--wait"),
                List.of("--json"));
        if (a == null || a.parameters().isEmpty() || a.parameters().size() > 2) {
            return null;
        }
        GetCommand get = new GetCommand();
        get.instance = instance(a);
        get.name = a.parameters().get(0);
        get.key = a.parameters().size() > 1 ? a.parameters().get(1) : null;
        get.json = a.has("--json");
        String wait = a.value("--wait", null);
        if (wait != null && !isDuration(wait)) {
            return null;
        }
        get.wait = wait == null ? null : Durations.parse(wait);
        return get;
    }

    private static SetCommand set(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(false, "--json", "--json", "--merge", "--merge"),
                List.of("--merge"));
        if (a == null) {
            return null;
        }
        SetCommand set = new SetCommand();
        if (!a.parameters().isEmpty()) {
            set.assignments = a.parameters();
        }
        set.json = a.value("--json", null);
        set.merge = a.has("--merge");
        return set;
    }

    private static TargetAction targets(TargetAction action, List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--no-wait", "--no-wait", "--timeout", "--timeout"),
                List.of("--no-wait"));
        if (a == null || a.parameters().isEmpty()) {
            return null;
        }
        action.instance = instance(a);
        if (!answerTimeout(a, action.answer)) {
            return null;
        }
        action.targets = a.parameters();
        action.noWait = a.has("--no-wait");
        return action;
    }

    private static StopCommand stop(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--no-wait", "--no-wait", "--timeout", "--timeout",
                "--with-dependents", "--with-dependents"), List.of("--no-wait", "--with-dependents"));
        if (a == null || a.parameters().isEmpty()) {
            return null;
        }
        StopCommand stop = new StopCommand();
        stop.instance = instance(a);
        if (!answerTimeout(a, stop.answer)) {
            return null;
        }
        stop.targets = a.parameters();
        stop.noWait = a.has("--no-wait");
        stop.withDependents = a.has("--with-dependents");
        return stop;
    }

    private static RestartCommand restart(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--no-wait", "--no-wait", "--rolling", "--rolling"),
                List.of("--no-wait", "--rolling"));
        if (a == null || a.parameters().isEmpty()) {
            return null;
        }
        RestartCommand restart = new RestartCommand();
        restart.instance = instance(a);
        restart.targets = a.parameters();
        restart.noWait = a.has("--no-wait");
        restart.rolling = a.has("--rolling");
        return restart;
    }

    private static ScaleCommand scale(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--no-wait", "--no-wait", "--timeout", "--timeout",
                "--force", "--force"), List.of("--no-wait", "--force"));
        if (a == null || a.parameters().size() != 2) {
            return null;
        }
        ScaleCommand scale = new ScaleCommand();
        scale.instance = instance(a);
        if (!answerTimeout(a, scale.answer)) {
            return null;
        }
        scale.pool = a.parameters().get(0);
        scale.count = a.parameters().get(1);
        scale.noWait = a.has("--no-wait");
        scale.force = a.has("--force");
        return scale;
    }

    private static ReloadCommand reload(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--timeout", "--timeout"), List.of());
        if (a == null || !a.parameters().isEmpty()) {
            return null;
        }
        ReloadCommand reload = new ReloadCommand();
        reload.instance = instance(a);
        if (!answerTimeout(a, reload.answer)) {
            return null;
        }
        return reload;
    }

    private static DownCommand down(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--timeout", "--timeout"), List.of());
        if (a == null || !a.parameters().isEmpty()) {
            return null;
        }
        DownCommand down = new DownCommand();
        down.instance = instance(a);
        if (!answerTimeout(a, down.answer)) {
            return null;
        }
        return down;
    }

    private static RequireCommand require(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--timeout", "--timeout"), List.of());
        if (a == null || a.parameters().isEmpty()) {
            return null;
        }
        RequireCommand require = new RequireCommand();
        require.instance = instance(a);
        require.names = a.parameters();
        String timeout = a.value("--timeout", Request.Require.DEFAULT_TIMEOUT_SECONDS + "s");
        if (!isDuration(timeout)) {
            return null;
        }
        require.timeout = Durations.parse(timeout);
        return require;
    }

    private static LogsCommand logs(List<String> args) {
        PlainArguments a = PlainArguments.split(args,
                names(true, "-n", "--lines", "--lines", "--lines", "-f", "--follow", "--follow", "--follow", "--timeout",
                        "--timeout"),
                List.of("--follow"));
        if (a == null) {
            return null;
        }
        String lines = a.value("--lines", null);
        // picocli reads the number with Integer.valueOf: up to 9 digits read the same; anything else it decides.
        if (lines != null && (lines.isEmpty() || lines.length() > 9)) {
            return null;
        }
        for (int i = 0; lines != null && i < lines.length(); i++) {
            if (!Character.isDigit(lines.charAt(i))) {
                return null;
            }
        }
        LogsCommand logs = new LogsCommand();
        logs.instance = instance(a);
        if (!answerTimeout(a, logs.answer)) {
            return null;
        }
        if (!a.parameters().isEmpty()) {
            logs.targets = a.parameters();
        }
        logs.lines = lines == null ? null : Integer.valueOf(lines);
        logs.follow = a.has("--follow");
        return logs;
    }

    /**
     * {@code tend up}: the daemon, not a client, but picocli's model of it (reflection over the annotations of
     * four classes, proxies for them) stayed in its memory for as long as it ran (about 3 MiB of its resident
     * size), and building it came before the first spawn.
     */
    private static UpCommand up(List<String> args) {
        PlainArguments a = PlainArguments.split(args, names(true, "--watch", "--watch", "--log-format", "--log-format",
                "--timestamps", "--timestamps"), List.of("--watch", "--timestamps"));
        if (a == null || !a.parameters().isEmpty()) {
            return null;
        }
        OutputOptions output = new OutputOptions();
        try {
            // picocli converts the value with Enum.valueOf: the same names, case included.
            output.logFormat = OutputOptions.LogFormat.valueOf(a.value("--log-format", "auto"));
        } catch (IllegalArgumentException e) {
            return null;
        }
        output.timestamps = a.has("--timestamps");
        UpCommand up = new UpCommand();
        up.start = new StartOptions();
        up.start.config = new ConfigOptions();
        up.start.config.file = Path.of(a.value("--config", "tend.toml"));
        up.start.output = output;
        up.start.name = a.value("--name", null);
        up.start.watch = a.has("--watch");
        return up;
    }
}
