package dev.tend.cli;

import dev.tend.protocol.Request;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tend reload}. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        header = "Apply the configuration file to the running tend.",
        description = {"Makes the running tend re-read its configuration (as SIGHUP does): pools added are started, pools removed are stopped, pools whose settings changed are restarted one worker at a time (each new one ready before the next old one stops); the others keep running.",
            "A configuration with errors is refused and nothing changes (exit 2)."})
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Override
    public Integer call() {
        return ClientCall.report(ClientCall.send(instance, answer.resolve(), new Request.Reload()), System.out, System.err);
    }
}
