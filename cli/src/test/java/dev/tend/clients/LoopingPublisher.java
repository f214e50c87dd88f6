package dev.tend.clients;

import dev.tend.state.Publisher;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/** A publisher in a JVM of its own that publishes large random snapshots until it is killed. */
public final class LoopingPublisher {
    private LoopingPublisher() {
    }

    public static void main(String[] args) {
        SplittableRandom random = new SplittableRandom();
        int max = Integer.parseInt(args[2]);
        try (Publisher publisher = Publisher.openAsSupervisor(Path.of(args[0]), args[1])) {
            System.out.println("publishing");
            System.out.flush();
            while (true) {
                byte[] blob = new byte[max / 2 + random.nextInt(max / 2 - 64)];
                random.nextBytes(blob);
                publisher.publish(Map.of("blob", blob, "n", Long.toString(random.nextLong()).getBytes()));
            }
        }
    }
}
