#!/bin/bash
# Crashes on its first start (to show healing), then runs until stdin closes.
marker="$TEND_RUNTIME_DIR/demo-flaky-crashed"
if [ ! -e "$marker" ]; then
    touch "$marker"
    echo "something went wrong on the first try" >&2
    exit 3
fi
echo "back on my feet"
while read -r _; do :; done
echo "stdin closed: bye"
