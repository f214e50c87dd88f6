package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.state.StateFileLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void shouldApplyEachKindsRule() {
        assertTrue(Names.INSTANCE.isValid("shop.eu-1_a"));
        assertFalse(Names.INSTANCE.isValid("my app"));
        assertFalse(Names.INSTANCE.isValid(".hidden"));
        assertTrue(Names.INSTANCE.isValid("a".repeat(63)));
        assertFalse(Names.INSTANCE.isValid("a".repeat(64)));

        assertTrue(Names.POOL.isValid("web-front_2"));
        assertFalse(Names.POOL.isValid("web.front"), "a dot would make POOL.N ambiguous");
        assertTrue(Names.POOL.isValid("p".repeat(48)));
        assertFalse(Names.POOL.isValid("p".repeat(49)));

        assertFalse(Names.POOL.isValid("all"), "tend stop all means every worker");
        assertFalse(Names.POOL.isValid("tend"), "tend logs tend means tend's own lines");
        assertFalse(Names.WORKER.isValid("all"), "a lazy worker cannot be named all either");
        assertTrue(Names.INSTANCE.isValid("tend"), "an instance is never a target");

        assertTrue(Names.WORKER.isValid("cache-eu.1"));
        assertFalse(Names.WORKER.isValid("-x"));
        assertFalse(Names.WORKER.isValid(""));
    }

    @Test
    void shouldFitWorkerNamesInTheStateFile() {
        assertTrue(Names.WORKER.isValid("w".repeat(StateFileLayout.NAME_CAPACITY)));
        assertFalse(Names.WORKER.isValid("w".repeat(StateFileLayout.NAME_CAPACITY + 1)));
        String longestPoolWorker = "p".repeat(48) + "." + Count.MAX_WORKERS;
        assertTrue(Names.WORKER.isValid(longestPoolWorker), "every pool's workers have valid names");
    }

    @Test
    void shouldExplainTheRule() {
        assertEquals("invalid instance name \"my app\": 1 to 63 letters, digits, '.', '_' or '-', starting with a letter"
                + " or digit", Names.INSTANCE.invalid("my app"));
        assertEquals("invalid pool name \"web.front\": 1 to 48 letters, digits, '_' or '-', starting with a letter or"
                + " digit (no dots: workers are named POOL.1, POOL.2, …)", Names.POOL.invalid("web.front"));
        assertEquals("invalid worker name \"a b\": 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or"
                + " digit", Names.WORKER.invalid("a b"));
        assertEquals("pool name \"all\" is reserved: commands read \"all\" as every worker (tend stop all) and \"tend\""
                + " as tend's own log lines (tend logs tend); choose another name", Names.POOL.invalid("all"));
    }

    @Test
    void shouldDeriveInstanceNamesFromDirectories() {
        assertEquals("my-shop", Names.instanceFromDirectory(Path.of("/srv/my shop")));
        assertEquals("shop", Names.instanceFromDirectory(Path.of("/srv/.shop")));
        assertEquals("root", Names.instanceFromDirectory(Path.of("/")));
        assertEquals("d".repeat(63), Names.instanceFromDirectory(Path.of("/srv", "d".repeat(80))));
    }
}
