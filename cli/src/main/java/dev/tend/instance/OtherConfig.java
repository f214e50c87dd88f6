package dev.tend.instance;

import java.nio.file.Path;

/**
 * An instance of the wanted name runs from another configuration file than the one given: two projects in
 * directories of the same name ({@code a/shop/}, {@code b/shop/}) both derive the name {@code shop}. A client
 * given one file must not act on the instance of the other, nor may a second {@code tend up} take the name.
 *
 * @param instance the name both files lead to.
 * @param running  the file the running instance was started from.
 * @param given    the file this command was given.
 */
public record OtherConfig(String instance, Path running, Path given) {
    /** What a client says before refusing to talk to the instance. */
    public String clientMessage() {
        return "instance " + instance + " runs " + running + ", not " + given + "; to act on it anyway, pass --name "
                + instance + "; " + howToRename();
    }

    /** What {@code tend up} says before refusing to start. */
    public String startMessage() {
        return "instance " + instance + " is already running from " + running + ", another file than " + given
                + "; " + howToRename();
    }

    private String howToRename() {
        return "to run " + given + " beside it, give it its own name: `name = \"…\"` in the file, or --name NAME";
    }
}
