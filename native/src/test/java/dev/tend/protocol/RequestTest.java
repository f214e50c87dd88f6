package dev.tend.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tend.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests as clients write them and as the service reads them: the wire text, defaults and refusals. */
class RequestTest {
    /** Each request and the line a client sends for it (the form docs/control-protocol.md shows). */
    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(new Request.Ps(), "{\"op\":\"ps\"}"),
                Arguments.of(new Request.Ps(true), "{\"op\":\"ps\",\"table\":true}"),
                Arguments.of(new Request.Action(Op.START, List.of("worker"), true),
                        "{\"op\":\"start\",\"targets\":[\"worker\"],\"wait\":true}"),
                Arguments.of(new Request.Action(Op.STOP, List.of("worker.2", "db"), true),
                        "{\"op\":\"stop\",\"targets\":[\"worker.2\",\"db\"],\"wait\":true}"),
                Arguments.of(new Request.Action(Op.STOP, List.of("db"), true, false, true),
                        "{\"op\":\"stop\",\"targets\":[\"db\"],\"wait\":true,\"with_dependents\":true}"),
                Arguments.of(new Request.Action(Op.RESTART, List.of("all"), false),
                        "{\"op\":\"restart\",\"targets\":[\"all\"],\"wait\":false,\"rolling\":false}"),
                Arguments.of(new Request.Action(Op.RESTART, List.of("web"), true, true),
                        "{\"op\":\"restart\",\"targets\":[\"web\"],\"wait\":true,\"rolling\":true}"),
                Arguments.of(new Request.Scale("worker", "50%", true),
                        "{\"op\":\"scale\",\"pool\":\"worker\",\"count\":\"50%\",\"wait\":true}"),
                Arguments.of(new Request.Require(List.of("cache-eu"), Duration.ofSeconds(10)),
                        "{\"op\":\"require\",\"names\":[\"cache-eu\"],\"timeout_ms\":10000}"),
                Arguments.of(new Request.Reload(), "{\"op\":\"reload\"}"),
                Arguments.of(new Request.Down(), "{\"op\":\"down\"}"),
                Arguments.of(new Request.Logs(List.of("settings"), 1, true),
                        "{\"op\":\"logs\",\"targets\":[\"settings\"],\"lines\":1,\"follow\":true}"),
                Arguments.of(new Request.Subscribe(), "{\"op\":\"subscribe\"}"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void shouldWriteTheDocumentedLineAndReadItBack(Request request, String line) throws Exception {
        assertEquals(line, Json.write(request.toJson()));
        assertEquals(request, Request.parse(Json.parseObject(line)));
    }

    /** What a request that leaves members out, or gives more, means. */
    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("{\"op\":\"stop\",\"targets\":[\"a\"]}", new Request.Action(Op.STOP, List.of("a"), true)),
                Arguments.of("{\"op\":\"stop\",\"targets\":[\"a\"],\"wait\":null}",
                        new Request.Action(Op.STOP, List.of("a"), true)),
                Arguments.of("{\"op\":\"restart\",\"targets\":[\"a\"]}",
                        new Request.Action(Op.RESTART, List.of("a"), true, false)),
                Arguments.of("{\"op\":\"stop\",\"targets\":[\"a\"],\"rolling\":true}",
                        new Request.Action(Op.STOP, List.of("a"), true)),
                Arguments.of("{\"op\":\"stop\",\"targets\":[\"a\"],\"with_dependents\":false}",
                        new Request.Action(Op.STOP, List.of("a"), true)),
                Arguments.of("{\"op\":\"start\",\"targets\":[\"a\"],\"with_dependents\":true}",
                        new Request.Action(Op.START, List.of("a"), true)),
                Arguments.of("{\"op\":\"scale\",\"pool\":\"p\",\"count\":3}", new Request.Scale("p", "3", true)),
                Arguments.of("{\"op\":\"require\",\"names\":[\"a\",\"a\"]}",
                        new Request.Require(List.of("a", "a"), Duration.ofSeconds(30))),
                Arguments.of("{\"op\":\"logs\"}", new Request.Logs(List.of(), 100, false)),
                Arguments.of("{\"op\":\"logs\",\"lines\":-5}", new Request.Logs(List.of(), 0, false)),
                Arguments.of("{\"op\":\"logs\",\"lines\":9223372036854775807}",
                        new Request.Logs(List.of(), Integer.MAX_VALUE, false)),
                Arguments.of("{\"op\":\"ps\",\"targets\":7,\"extra\":{\"any\":[]}}", new Request.Ps()),
                Arguments.of("{\"op\":\"ps\",\"table\":null}", new Request.Ps(false)),
                Arguments.of("{\"extra\":true,\"op\":\"down\"}", new Request.Down()));
    }

    @ParameterizedTest
    @MethodSource("defaults")
    void shouldFillInDefaultsAndIgnoreMembersTheOperationDoesNotUse(String line, Request expected) throws Exception {
        assertEquals(expected, Request.parse(Json.parseObject(line)));
    }

    /** Requests refused before anything happens, and the message that names the problem. */
    static Stream<Arguments> refused() {
        String known = "; known: ps, start, stop, restart, scale, require, reload, down, logs, subscribe";
        return Stream.of(
                Arguments.of("{\"op\":\"dance\"}", "unknown op \"dance\"" + known),
                Arguments.of("{\"op\":\"PS\"}", "unknown op \"PS\"" + known),
                Arguments.of("{\"op\":1}", "unknown op \"1\"" + known),
                Arguments.of("{}", "unknown op \"null\"" + known),
                Arguments.of("{\"op\":\"start\"}", "\"targets\" must be an array of strings"),
                Arguments.of("{\"op\":\"restart\",\"targets\":null}", "\"targets\" must be an array of strings"),
                Arguments.of("{\"op\":\"stop\",\"targets\":\"all\"}", "\"targets\" must be an array of strings"),
                Arguments.of("{\"op\":\"stop\",\"targets\":[[\"a\"]]}", "\"targets\" must be an array of strings"),
                Arguments.of("{\"op\":\"stop\",\"targets\":[\"a\"],\"wait\":\"false\"}", "\"wait\" must be true or false"),
                Arguments.of("{\"op\":\"stop\",\"targets\":[\"a\"],\"wait\":0}", "\"wait\" must be true or false"),
                Arguments.of("{\"op\":\"restart\",\"targets\":[\"a\"],\"rolling\":\"yes\"}",
                        "\"rolling\" must be true or false"),
                Arguments.of("{\"op\":\"scale\",\"count\":1}", "\"pool\" must be a string"),
                Arguments.of("{\"op\":\"scale\",\"pool\":[\"p\"],\"count\":1}", "\"pool\" must be a string"),
                Arguments.of("{\"op\":\"scale\",\"pool\":\"p\"}", "\"count\" must be a number or a string such as \"50%\""),
                Arguments.of("{\"op\":\"scale\",\"pool\":\"p\",\"count\":2.0}",
                        "\"count\" must be a number or a string such as \"50%\""),
                Arguments.of("{\"op\":\"scale\",\"pool\":\"p\",\"count\":true}",
                        "\"count\" must be a number or a string such as \"50%\""),
                Arguments.of("{\"op\":\"require\"}", "\"names\" must be an array of strings"),
                Arguments.of("{\"op\":\"require\",\"names\":[]}", "\"names\" must name at least one worker"),
                Arguments.of("{\"op\":\"require\",\"names\":[\"a\"],\"timeout_ms\":\"30s\"}",
                        "\"timeout_ms\" must be an integer"),
                Arguments.of("{\"op\":\"require\",\"names\":[\"a\"],\"timeout_ms\":1e3}", "\"timeout_ms\" must be an integer"),
                Arguments.of("{\"op\":\"require\",\"names\":[\"a\"],\"timeout_ms\":9223372036854775807}",
                        "\"timeout_ms\" must be between 0 and 31536000000 (got 9223372036854775807)"),
                Arguments.of("{\"op\":\"require\",\"names\":[\"a\"],\"timeout_ms\":-1}",
                        "\"timeout_ms\" must be between 0 and 31536000000 (got -1)"),
                Arguments.of("{\"op\":\"logs\",\"lines\":99999999999999999999}", "\"lines\" must be an integer"),
                Arguments.of("{\"op\":\"logs\",\"targets\":{}}", "\"targets\" must be an array of strings"),
                Arguments.of("{\"op\":\"stop\",\"targets\":[\"a\"],\"with_dependents\":1}",
                        "\"with_dependents\" must be true or false"),
                Arguments.of("{\"op\":\"logs\",\"follow\":\"yes\"}", "\"follow\" must be true or false"),
                Arguments.of("{\"op\":\"ps\",\"table\":1}", "\"table\" must be true or false"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void shouldRefuseWithAMessageThatNamesTheProblem(String line, String message) {
        assertEquals(message, assertThrows(BadRequestException.class,
                () -> Request.parse(Json.parseObject(line))).getMessage());
    }

    @Test
    void shouldReportTheFirstWrongMemberInTheDocumentedOrder() {
        assertEquals("\"pool\" must be a string", assertThrows(BadRequestException.class,
                () -> Request.parse(Json.parseObject("{\"count\":true,\"op\":\"scale\"}"))).getMessage());
        assertEquals("\"names\" must be an array of strings", assertThrows(BadRequestException.class,
                () -> Request.parse(Json.parseObject("{\"op\":\"require\",\"timeout_ms\":\"x\"}"))).getMessage());
    }

    @Test
    void actionsAreOnlyStartStopAndRestart() {
        assertThrows(IllegalArgumentException.class, () -> new Request.Action(Op.SCALE, List.of("a"), true));
        assertThrows(IllegalArgumentException.class, () -> new Request.Action(Op.STOP, List.of("a"), true, true));
        assertThrows(IllegalArgumentException.class,
                () -> new Request.Action(Op.START, List.of("a"), true, false, true));
    }
}
