package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {
    private static final Map<String, String> VARS = Map.of("PORT", "8080", "EMPTY", "", "HOME", "/home/ann");

    private static String expand(String text) throws Interpolation.Failure {
        return Interpolation.expand(text, VARS::get);
    }

    private static String failure(String text) {
        return assertThrows(Interpolation.Failure.class, () -> expand(text)).getMessage();
    }

    @Test
    void shouldExpandReferencesAndDefaults() throws Exception {
        assertEquals("--port=8080", expand("--port=${PORT}"));
        assertEquals("9000 dflt 8080", expand("${NOPE:-9000} ${EMPTY:-dflt} ${PORT:-1}"));
        assertEquals("/home/ann/x", expand("${NOPE:-${HOME}/x}"));
        assertEquals("8080", expand("${PORT:?needed}"));
    }

    @Test
    void shouldLeaveOtherDollarsAlone() throws Exception {
        assertEquals("$HOME $1 ${PORT} $ a$", expand("$HOME $1 $${PORT} $$ a$"));
    }

    @Test
    void shouldRefuseUnsetVariablesAndBadReferences() {
        assertEquals("${NOPE} is not set; set it in tend's environment, an env_file or an env table, give a default"
                + " (${NOPE:-value}), or write $${NOPE} for the text itself", failure("x ${NOPE} y"));
        assertEquals("DB_URL is not set: set it in .env", failure("${DB_URL:?set it in .env}"));
        assertEquals("EMPTY is empty: it is required", failure("${EMPTY:?}"));
        assertEquals("\"${PORT\": ${ without its closing }; write $$ for a literal $", failure("${PORT"));
        assertEquals("\"${NOPE:-x\": ${ without its closing }; write $$ for a literal $", failure("${NOPE:-x"));
        assertEquals("\"${1X}\" does not name a variable (letters, digits and '_', not starting with a digit); write $$"
                + " for a literal $", failure("${1X}"));
        assertEquals("\"${PORT-…\": after the name write }, :-default or :?message (e.g. ${PORT:-8080}); write $$ for"
                + " a literal $", failure("${PORT-1}"));
        assertEquals(true, failure("${TEND_WORKER}").contains("tend sets the TEND_* variables for each worker"));
    }
}
