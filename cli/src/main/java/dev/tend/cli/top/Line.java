package dev.tend.cli.top;

/** One line of the screen and how it looks; {@link TopTerminal} maps the style onto the terminal's. */
record Line(String text, Style style) {
    /** How a line looks. Colours only where {@code NO_COLOR} is unset; emphasis always. */
    enum Style { PLAIN, TITLE, HEADING, POOL, SELECTED, WARNING, FAILED, MESSAGE, DIM }

    static Line plain(String text) {
        return new Line(text, Style.PLAIN);
    }
}
