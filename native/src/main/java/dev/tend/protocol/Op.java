package dev.tend.protocol;

import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The operations of the control protocol, as a request names them in {@code "op"}. */
public enum Op {
    PS("ps"),
    START("start"),
    STOP("stop"),
    RESTART("restart"),
    SCALE("scale"),
    REQUIRE("require"),
    RELOAD("reload"),
    DOWN("down"),
    LOGS("logs"),
    SUBSCRIBE("subscribe");

    private final String wireName;

    Op(String wireName) {
        this.wireName = wireName;
    }

    /** The name a request gives: {@code ps}. */
    public String wireName() {
        return wireName;
    }

    /** The operation a request names, if there is one by that name. */
    public static Optional<Op> named(String name) {
        return Stream.of(values()).filter(op -> op.wireName.equals(name)).findFirst();
    }

    /** Every name, in the documented order, for messages: {@code ps, start, stop, …}. */
    public static String names() {
        return Stream.of(values()).map(Op::wireName).collect(Collectors.joining(", "));
    }
}
