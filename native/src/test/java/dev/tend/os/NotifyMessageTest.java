package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotifyMessageTest {

    @Test
    void shouldParseAssignmentsInOrder() {
        Map<String, String> parsed = NotifyMessage.parse("STATUS=a=b c\nREADY=1\nMAINPID=42");
        assertEquals(List.of("STATUS", "READY", "MAINPID"), List.copyOf(parsed.keySet()));
        assertEquals("a=b c", parsed.get("STATUS"));
        assertEquals("1", parsed.get("READY"));
        assertEquals("42", parsed.get("MAINPID"));
    }

    @Test
    void shouldIgnoreEmptyLinesAndLinesWithoutAssignment() {
        Map<String, String> parsed = NotifyMessage.parse("\n\nnonsense\n=nokey\nREADY=1\n\nEMPTY=\n");
        assertEquals(Map.of("READY", "1", "EMPTY", ""), parsed);
    }

    @Test
    void shouldKeepLastValueOfRepeatedKey() {
        Map<String, String> parsed = NotifyMessage.parse("STATUS=one\nREADY=1\nSTATUS=two");
        assertEquals(List.of("STATUS", "READY"), List.copyOf(parsed.keySet()));
        assertEquals("two", parsed.get("STATUS"));
    }

    @Test
    void shouldAnswerHelpers() {
        NotifyMessage m = NotifyMessage.of("READY=1\nSTATUS=up\nSTOPPING=1\nWATCHDOG=1", 7, 8, 9, false);
        assertTrue(m.isReady());
        assertTrue(m.isStopping());
        assertTrue(m.isWatchdog());
        assertEquals(Optional.of("up"), m.status());
        assertEquals(7, m.pid());
        assertEquals(8, m.uid());
        assertEquals(9, m.gid());

        NotifyMessage other = NotifyMessage.of("READY=0\nWATCHDOG=trigger", -1, -1, -1, false);
        assertFalse(other.isReady());
        assertFalse(other.isStopping());
        assertFalse(other.isWatchdog(), "WATCHDOG=trigger asks for a watchdog failure, it is no ping");
        assertEquals(Optional.empty(), other.status());
        assertEquals(Optional.of("trigger"), other.get("WATCHDOG"));
    }

    @Test
    void shouldNotInterpretTruncatedMessage() {
        NotifyMessage m = NotifyMessage.of("READY=1\nSTATUS=hal", 1, 2, 3, true);
        assertTrue(m.truncated());
        assertEquals(Map.of(), m.assignments());
        assertFalse(m.isReady());
        assertEquals("READY=1\nSTATUS=hal", m.text());
    }

    @Test
    void shouldBeImmutable() {
        NotifyMessage m = NotifyMessage.of("READY=1", 1, 2, 3, false);
        assertThrows(UnsupportedOperationException.class, () -> m.assignments().put("X", "y"));
    }
}
