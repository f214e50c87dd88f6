package dev.tend.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ClientText;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.FailureReport;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.StateText;
import dev.tend.protocol.StatusText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command FIFO's request lines and reply text, without processes (CommandFifoTest runs them for real). */
class FifoRequestTest {
    @Test
    void shouldReadARequestLine() throws Exception {
        FifoRequest r = FifoRequest.parse("tend-request 1 reply.4242 {\"op\":\"stop\",\"targets\":[\"web\"],\"wait\":true}");
        assertEquals("reply.4242", r.reply());
        assertEquals(Map.of(Protocol.OP, "stop", Protocol.TARGETS, List.of("web"), Protocol.WAIT, true), r.request());
    }

    @Test
    void shouldRefuseWhatIsNotARequestAndSayWhereToAnswerWhenItCan() {
        for (String line : List.of("", "hello", "tend-request 2 reply.1 {}", "tend-request 1 ../reply.1 {\"op\":\"stop\"}",
                "tend-request 1 reply./x {\"op\":\"stop\"}", "tend-request 1 reply. {\"op\":\"stop\"}")) {
            assertNull(assertThrows(FifoRequest.Malformed.class, () -> FifoRequest.parse(line), line).reply(), line);
        }
        for (String line : List.of("tend-request 1 reply.1", "tend-request 1 reply.1 {",
                "tend-request 1 reply.1 {\"op\":\"ps\",\"print\":\"yaml\"}", "tend-request 1 reply.1 {\"op\":\"stop\",\"print\":\"json\"}",
                "tend-request 1 reply.1 {\"op\":\"subscribe\"}", "tend-request 1 reply.1 {\"op\":3}")) {
            assertEquals("reply.1", assertThrows(FifoRequest.Malformed.class, () -> FifoRequest.parse(line), line).reply(),
                    line);
        }
    }

    @Test
    void shouldWriteWhatTheClientPrintsLineByLineThenTheExitCode() {
        assertEquals("out stopped web.1\nend 0\n", text(new ActionResult(ExitCode.OK, "stopped web.1", List.of(),
                List.of())));
        assertEquals("end 0\n", text(new ActionResult(ExitCode.OK, "", List.of(), List.of())));
        assertEquals("out two\nout lines\nend 0\n", text(new ActionResult(ExitCode.OK, "two\nlines", List.of(),
                List.of())));
        String failed = text(new ActionResult(ExitCode.NOT_FOUND, "no worker or pool named x", List.of(), List.of()));
        assertEquals("err tend: error: no worker or pool named x\nend 3\n", failed);
    }

    @Test
    void shouldCarryFailureReportsOnStandardError() {
        FailureReport report = new FailureReport("bad.1", "bad", "false", "ended before it was ready (now exited)",
                "exit status 1", 1, Duration.ofMillis(3), List.of("boom"));
        String text = text(new ActionResult(ExitCode.FAILURE, "bad.1 ended before it was ready", List.of(), List.of(report)));
        StringBuilder expected = new StringBuilder("err tend: error: bad.1 ended before it was ready\n");
        report.lines().forEach(l -> expected.append("err ").append(l).append('\n'));
        assertEquals(expected + "end 1\n", text);
    }

    @Test
    void shouldTakeWhichOutputOfPsToPrintOutOfTheRequest() throws Exception {
        FifoRequest plain = FifoRequest.parse("tend-request 1 reply.1 {\"op\":\"ps\",\"table\":true}");
        assertEquals(StatusText.View.TABLE, plain.view());
        assertEquals(Map.of(Protocol.OP, "ps", Protocol.TABLE, true), plain.request());
        FifoRequest json = FifoRequest.parse("tend-request 1 reply.1 {\"op\":\"ps\",\"print\":\"json\"}");
        assertEquals(StatusText.View.JSON, json.view());
        assertEquals(Map.of(Protocol.OP, "ps"), json.request());
        assertEquals(StatusText.View.READY,
                FifoRequest.parse("tend-request 1 reply.1 {\"op\":\"ps\",\"print\":\"ready\"}").view());
        assertNull(FifoRequest.parse("tend-request 1 reply.1 {\"op\":\"down\"}").view());
    }

    @Test
    void shouldAskForTheLsRowAsAPsAndFallBackWhenTheLauncherCannotLayItOut() throws Exception {
        FifoRequest cells = FifoRequest.parse("tend-request 1 reply.1 {\"op\":\"ls\"}");
        assertEquals(Map.of(Protocol.OP, "ps"), cells.request());
        assertEquals(FifoRequest.Listing.CELLS, cells.listing());
        assertTrue(cells.query());
        assertEquals(FifoRequest.Listing.JSON,
                FifoRequest.parse("tend-request 1 reply.1 {\"op\":\"ls\",\"print\":\"json\"}").listing());
        for (String line : List.of("tend-request 1 reply.1 {\"op\":\"ls\",\"print\":\"table\"}",
                "tend-request 1 reply.1 {\"op\":\"ls\",\"timeout_ms\":5}")) {
            assertEquals("reply.1", assertThrows(FifoRequest.Malformed.class, () -> FifoRequest.parse(line), line).reply());
        }
        long pid = ProcessHandle.current().pid();
        InstanceStatus status = new InstanceStatus("shop", pid, "/srv/shop/tend.toml", false, List.of(), Optional.empty());
        String row = new String(FifoReply.encode(status.toJson(), cells::text, true), StandardCharsets.UTF_8);
        assertTrue(row.matches("out shop\nout " + pid + "\nout [0-9hms]+\nout 0/0\nout /srv/shop/tend.toml\nend 0\n"), row);
        for (String config : List.of("/srv/caf\u00e9/tend.toml", "/srv/shop/tend.toml ", "/srv/a\tb")) {
            InstanceStatus odd = new InstanceStatus("shop", pid, config, false, List.of(), Optional.empty());
            assertEquals("fallback\n", new String(FifoReply.encode(odd.toJson(), cells::text, true), StandardCharsets.UTF_8),
                    config);
        }
    }

    @Test
    void shouldMarkTextThatDoesNotEndWithANewlineAndFallBackWhenAQueryIsTooLarge() {
        Map<String, Object> last = new ActionResult(ExitCode.OK, "", List.of(), List.of()).toJson();
        assertEquals("out a\ntail b\nend 0\n", new String(FifoReply.encode(last,
                m -> new ClientText("a\nb", "", ExitCode.OK), true), StandardCharsets.UTF_8));
        assertEquals("out \nerr c\nend 1\n", new String(FifoReply.encode(last,
                m -> new ClientText("\n", "c", ExitCode.FAILURE), true), StandardCharsets.UTF_8));
        String large = "x".repeat(FifoReply.MAX_PENDING_BYTES) + "\n";
        assertEquals("fallback\n", new String(FifoReply.encode(last, m -> new ClientText(large, "", ExitCode.OK), true),
                StandardCharsets.UTF_8));
        // An action's text is never that large; if it were, its first lines are kept, and the reply still ends.
        String lines = "x".repeat(99).concat("\n").repeat(FifoReply.MAX_PENDING_BYTES / 100 + 1);
        String cut = new String(FifoReply.encode(last, m -> new ClientText(lines, "", ExitCode.OK), false),
                StandardCharsets.UTF_8);
        assertTrue(cut.length() <= FifoReply.MAX_PENDING_BYTES && cut.length() > FifoReply.MAX_PENDING_BYTES / 3, "" + cut.length());
        assertTrue(cut.startsWith("bulk ") && cut.endsWith("x\nend 0\n"), cut.substring(cut.length() - 20));
    }

    @Test
    void shouldTakeGetAndSetForTheStateDesk() throws Exception {
        FifoRequest get = FifoRequest.parse("tend-request 1 reply.7 {\"op\":\"get\",\"name\":\"pub\",\"key\":\"k\\\"\\u0001\","
                + "\"json\":false,\"terminal\":true}");
        assertNull(get.view());
        assertEquals(new StateRequest.Get("pub", "k\"\u0001", false, true), StateRequest.of(get.request()));
        assertEquals(new StateRequest.Get("pub.1", null, true, false),
                StateRequest.of(Map.of("op", "get", "name", "pub.1", "json", true)));
        FifoRequest set = FifoRequest.parse("tend-request 1 reply.7 {\"op\":\"set\",\"worker\":\"pub.1\","
                + "\"token\":\"00000000000000ff\",\"merge\":true,\"json\":\"{}\",\"assignments\":[\"a=1\",\"b=\\t\"],\"ring\":true}");
        assertEquals(new StateRequest.Publish("pub.1", 255, true, "{}", List.of("a=1", "b=\t"), true),
                StateRequest.of(set.request()));
        assertEquals(new StateRequest.Publish("pub.1", 1, false, null, List.of(), false), StateRequest.of(Map.of("op", "set",
                "worker", "pub.1", "token", "0000000000000001", "assignments", List.of())));
        assertTrue(FifoRequest.OPERATIONS.containsAll(List.of("get", "set")));
        assertTrue(StateRequest.takes("get") && StateRequest.takes("set") && !StateRequest.takes("ps"));
    }

    @Test
    void shouldRefuseAGetOrSetWithoutWhatItNeeds() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("op", "get"), Map.of("op", "get", "name", 1),
                Map.of("op", "get", "name", "a", "json", "yes"), Map.of("op", "set", "worker", "a", "assignments", List.of()),
                Map.of("op", "set", "worker", "a", "token", "xyz", "assignments", List.of()),
                Map.of("op", "set", "worker", "a", "token", "0000000000000001"),
                Map.of("op", "set", "worker", "a", "token", "0000000000000001", "assignments", List.of(1)))) {
            assertThrows(IllegalArgumentException.class, () -> StateRequest.of(bad), bad.toString());
        }
    }

    @Test
    void shouldFindTheReplyOfALineThatIsNotText() {
        assertEquals("reply.42", FifoRequest.replyOf("tend-request 1 reply.42 {\"op\":\"set\",\"x\":\"\u00ff\"}"));
        assertNull(FifoRequest.replyOf("tend-request 1 ../x {}"));
        assertNull(FifoRequest.replyOf("hello"));
    }

    @Test
    void shouldWriteARawValueAsItIs() {
        assertEquals("tail 1\nend 0\n", new String(FifoReply.encode(new ClientText("1", "", ExitCode.OK), true),
                StandardCharsets.UTF_8));
        assertEquals("out x\nout y\nend 0\n", new String(FifoReply.encode(new ClientText("x\ny\n", "", ExitCode.OK), true),
                StandardCharsets.UTF_8));
        assertEquals("err tend: error: worker a has no key k (version 2)\nend 3\n", new String(FifoReply.encode(
                StateText.error(ExitCode.NOT_FOUND, "worker a has no key k (version 2)"), true), StandardCharsets.UTF_8));
    }

    @Test
    void shouldTakeALogsRequestWithHowTheLauncherPrints() throws Exception {
        FifoRequest logs = FifoRequest.parse("tend-request 1 reply.7 {\"op\":\"logs\",\"targets\":[\"web\"],"
                + "\"style\":\"color\",\"lines\":5,\"since\":\"1h\",\"timestamps\":true,\"tz\":\"UTC\"}");
        assertTrue(FifoLogs.asks(logs));
        assertEquals("color", logs.request().get(FifoLogs.STYLE));
        assertTrue(FifoRequest.OPERATIONS.contains("logs"));
        assertFalse(FifoLogs.asks(FifoRequest.parse("tend-request 1 reply.1 {\"op\":\"ps\"}")));
    }

    @Test
    void shouldCarryTheBytesOfOutputAsTheyAreAndFallBackOnWhatTheShellCannotHold() {
        byte[] lines = {'w', ' ', '|', ' ', (byte) 0xFF, '\\', '\r', '\n', 0x1b, '[', '0', 'm', '\n'};
        byte[] expected = new byte[lines.length + 8 + 12];
        System.arraycopy("out ".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 4);
        System.arraycopy(lines, 0, expected, 4, 8);
        System.arraycopy("out ".getBytes(StandardCharsets.US_ASCII), 0, expected, 12, 4);
        System.arraycopy(lines, 8, expected, 16, 5);
        System.arraycopy("err a\nend 3\n".getBytes(StandardCharsets.US_ASCII), 0, expected, 21, 12);
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
                new String(FifoReply.encode(lines, "a\n", 3, true), StandardCharsets.ISO_8859_1));
        assertEquals("tail x\nend 0\n", new String(FifoReply.encode(new byte[] {'x'}, "", 0, true), StandardCharsets.US_ASCII));
        assertEquals("fallback\n", new String(FifoReply.encode(new byte[] {'a', 0, '\n'}, "", 0, true),
                StandardCharsets.US_ASCII), "a NUL byte");
        byte[] large = new byte[FifoReply.MAX_PENDING_BYTES];
        Arrays.fill(large, (byte) 'x');
        assertEquals("fallback\n", new String(FifoReply.encode(large, "", 0, true), StandardCharsets.US_ASCII),
                "over 1 MiB");
    }

    @Test
    void shouldSendALargeTextAsOneBlock() {
        byte[] text = new byte[FifoReply.BULK_BYTES + 1];
        Arrays.fill(text, (byte) 'x');
        text[10] = '\n';
        String reply = new String(FifoReply.encode(text, "e\n", 1, true), StandardCharsets.US_ASCII);
        assertEquals("bulk " + text.length + "\n" + new String(text, StandardCharsets.US_ASCII) + "err e\nend 1\n", reply);
        byte[] small = Arrays.copyOf(text, FifoReply.BULK_BYTES);
        assertTrue(new String(FifoReply.encode(small, "", 0, true), StandardCharsets.US_ASCII).startsWith("out xxxxxxxxxx\n"));
    }

    private static String text(ActionResult result) {
        return new String(FifoReply.encode(result.toJson(), m -> ClientText.action(ActionResult.fromJson(m)), false),
                StandardCharsets.UTF_8);
    }
}
