package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The dotenv syntax, as Symfony, Laravel and docker compose write it. */
class DotEnvTest {
    private static List<String> entries(String text) {
        DotEnv.Parsed parsed = DotEnv.parse(text);
        assertEquals(List.of(), parsed.problems());
        return parsed.entries().stream().map(e -> e.line() + " " + e.key() + "=" + e.value() + (e.expand() ? "" : " (literal)"))
                .collect(Collectors.toList());
    }

    private static List<String> problems(String text) {
        return DotEnv.parse(text).problems().stream().map(p -> p.line() + " " + p.key() + ": " + p.message())
                .collect(Collectors.toList());
    }

    @Test
    void shouldReadCommentsBlankLinesAndExport() {
        assertEquals(List.of("2 A=1", "4 B=two", "5 C="), entries("""
                # a comment
                A=1

                export B=two
                C=
                   # an indented comment
                """));
    }

    @Test
    void shouldEndUnquotedValuesAtACommentAfterWhiteSpace() {
        assertEquals(List.of("1 URL=http://x/#anchor", "2 NAME=my app", "3 EMPTY=", "4 HASH=#1", "5 TRIM=v"), entries("""
                URL=http://x/#anchor
                NAME=my app # the app's name
                EMPTY= # nothing
                HASH=#1
                TRIM = v\t
                """));
    }

    @Test
    void shouldKeepSingleQuotedValuesLiteral() {
        assertEquals(List.of("1 A=${B} \\n $$ # not a comment (literal)", "2 B=x (literal)"), entries("""
                A='${B} \\n $$ # not a comment'  # a comment
                B='x'
                """));
    }

    @Test
    void shouldDecodeEscapesInDoubleQuotes() {
        assertEquals(List.of("1 A=tab\there\nnew \"quoted\" back\\slash $$HOME \\d ${B}"), entries("""
                A="tab\\there\\nnew \\"quoted\\" back\\\\slash \\$HOME \\d ${B}"
                """));
    }

    @Test
    void shouldReadQuotedValuesOverSeveralLines() {
        assertEquals(List.of("1 KEY=-----BEGIN\nabc\n-----END (literal)", "4 NEXT=1", "5 TWO=a\nb", "7 LAST=z"),
                entries("""
                KEY='-----BEGIN
                abc
                -----END'
                NEXT=1
                TWO="a
                b"
                LAST=z
                """));
    }

    @Test
    void shouldReportBadLinesWithTheirLineAndReadTheRest() {
        assertEquals(List.of(
                "1 A: expected '=' after the name, not \"B=2\"; quote a value that holds spaces",
                "2 : expected a line KEY=VALUE, a # comment or a blank line, not \"=3\"",
                "3 NO_EQUALS: no '=' after the name: write NO_EQUALS= for an empty value",
                "4 1ST: \"1ST\" is not a variable name: letters, digits and '_', not starting with a digit",
                "5 Q: unexpected \"tail\" after the closing quote; put the whole value inside the quotes",
                "7 OPEN: the value's \" is never closed; end the value with \" (write \\\" for a quote inside it)"),
                problems("""
                A B=2
                =3
                NO_EQUALS
                1ST=x
                Q="v" tail
                FINE=1
                OPEN="never closed
                AFTER=1
                """));
        assertEquals(List.of("1 FINE=1"), DotEnv.parse("FINE=1\nbad line\n").entries().stream()
                .map(e -> e.line() + " " + e.key() + "=" + e.value()).collect(Collectors.toList()));
    }

    @Test
    void shouldReadWindowsLineEnds() {
        assertEquals(List.of("1 A=1", "2 B=2 (literal)"), entries("A=1\r\nB='2'\r\n"));
    }
}
