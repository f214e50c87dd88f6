package dev.tend.os;

/**
 * How a process ended, as decoded from {@code waitid}: it exited with a code, or a signal killed it.
 */
public sealed interface ExitStatus {

    /** True only for an exit with code 0. */
    boolean success();

    /** The status a shell would report: the exit code, or 128 plus the signal number. */
    int shellStatus();

    /** Human text: {@code exit status 3}, {@code signal KILL}, {@code signal SEGV (core dumped)}. */
    String describe();

    /** The process called {@code exit(code)} or returned from main. */
    record Exited(int code) implements ExitStatus {
        @Override
        public boolean success() {
            return code == 0;
        }

        @Override
        public int shellStatus() {
            return code;
        }

        @Override
        public String describe() {
            return "exit status " + code;
        }
    }

    /** A signal ended the process. */
    record Killed(int signal, boolean coreDumped) implements ExitStatus {
        @Override
        public boolean success() {
            return false;
        }

        @Override
        public int shellStatus() {
            return 128 + signal;
        }

        @Override
        public String describe() {
            return "signal " + Signal.describe(signal) + (coreDumped ? " (core dumped)" : "");
        }
    }

    /** Decodes {@code si_code} and {@code si_status} of a {@code siginfo_t} filled by {@code waitid}. */
    static ExitStatus fromSiginfo(int code, int status) {
        switch (code) {
            case LibC.CLD_EXITED:
                return new Exited(status);
            case LibC.CLD_KILLED:
                return new Killed(status, false);
            case LibC.CLD_DUMPED:
                return new Killed(status, true);
            default:
                throw new IllegalStateException("waitid reported si_code " + code + " for an exited child");
        }
    }
}
