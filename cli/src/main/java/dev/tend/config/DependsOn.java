package dev.tend.config;

import dev.tend.config.Dependency.Condition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.TomlArray;

/**
 * The {@code depends_on} key of pools and lazy declarations: reads it ({@link #parse}), then checks the whole
 * graph ({@link #check}): every name is a pool, no table depends on itself or on a cycle, and every condition
 * can hold. No I/O.
 */
final class DependsOn {
    static final String KEY = "depends_on";

    /**
     * One entry as written, with where to report a problem with it.
     *
     * @param at  the table holding the entry: the {@code depends_on} table, or the pool's table for the list form.
     * @param key the key to report against within {@code at}.
     */
    record Entry(Dependency dependency, Section at, String key) {
        void error(String message) {
            at.error(key, message);
        }
    }

    /**
     * One table that may depend on others.
     *
     * @param name    the pool or lazy declaration.
     * @param entries what it depends on.
     */
    record Node(String name, List<Entry> entries) {}

    private DependsOn() {}

    /** The {@code depends_on} key of a pool or lazy table: {@code ["db"]} (ready) or {@code { db = "ready" }}. */
    static List<Entry> parse(Section s) {
        Object raw = s.raw(KEY);
        List<Entry> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (raw instanceof TomlArray array) {
            for (int i = 0; i < array.size(); i++) {
                Object element = array.get(i);
                if (!(element instanceof String name)) {
                    s.error(KEY, "every element of the list must be a pool name (a string), not "
                            + Section.typeName(element) + "; or write a table: { db = \"ready\" }");
                    return List.of();
                }
                out.add(new Entry(new Dependency(name, Condition.READY), s, KEY));
            }
            return out;
        }
        Section table = s.table(KEY);
        if (table == null) {
            return out;
        }
        for (String name : table.keys()) {
            Object value = table.raw(name);
            Condition condition = value instanceof String text ? Condition.parse(text) : null;
            if (condition == null) {
                table.error(name, "unknown condition " + (value instanceof String ? "\"" + value + "\""
                        : "(" + Section.typeName(value) + ")") + "; use \"started\", \"ready\" or \"completed\"");
                continue;
            }
            out.add(new Entry(new Dependency(name, condition), table, name));
        }
        return out;
    }

    /**
     * Reports a dependency on something that is not a pool, on the table itself, in a cycle, or with a condition
     * that can never hold; {@code pools} are the valid pools with their restart policy.
     */
    static void check(List<Node> nodes, Map<String, RestartPolicy> pools) {
        Map<String, Node> byName = new LinkedHashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        for (Node node : nodes) {
            for (Entry e : node.entries()) {
                String target = e.dependency().pool();
                if (target.equals(node.name())) {
                    e.error(node.name() + " cannot depend on itself");
                } else if (!pools.containsKey(target)) {
                    String suggestion = Suggestions.nearest(target, pools.keySet());
                    e.error("no pool named " + target + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
                            + (byName.containsKey(target) ? " (" + target + " is a lazy declaration: its workers start"
                            + " on demand, so nothing can wait for them)" : "")
                            + " (pools: " + (pools.isEmpty() ? "none" : String.join(", ", pools.keySet())) + ")");
                } else if (e.dependency().condition() == Condition.COMPLETED
                        && pools.get(target) == RestartPolicy.ALWAYS) {
                    e.error(target + " has restart = \"always\": it is started again whenever it exits, so it never"
                            + " completes; depend on it as \"started\" or \"ready\", or give it restart = \"on-failure\"");
                }
            }
        }
        reportCycles(nodes, byName, pools);
    }

    /** Each cycle once, at the entry that closes it, written as {@code a → b → a}. */
    private static void reportCycles(List<Node> nodes, Map<String, Node> byName, Map<String, RestartPolicy> pools) {
        Map<String, Integer> mark = new HashMap<>();
        for (Node node : nodes) {
            visit(node, byName, pools, mark, new ArrayList<>());
        }
    }

    private static final int VISITING = 1;
    private static final int DONE = 2;

    private static void visit(Node node, Map<String, Node> byName, Map<String, RestartPolicy> pools,
                              Map<String, Integer> mark, List<String> path) {
        Integer seen = mark.get(node.name());
        if (seen != null) {
            return;
        }
        mark.put(node.name(), VISITING);
        path.add(node.name());
        for (Entry e : node.entries()) {
            String target = e.dependency().pool();
            Node next = byName.get(target);
            if (next == null || target.equals(node.name()) || !pools.containsKey(target)) {
                continue;
            }
            Integer state = mark.get(target);
            if (state != null && state == VISITING) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(target), path.size()));
                cycle.add(target);
                e.error("dependency cycle: " + String.join(" → ", cycle) + "; none of them could ever start;"
                        + " remove one of these dependencies");
            } else if (state == null) {
                visit(next, byName, pools, mark, path);
            }
        }
        path.remove(path.size() - 1);
        mark.put(node.name(), DONE);
    }
}
