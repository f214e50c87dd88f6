#!/bin/bash
# Crashes on its first start (to show healing), then runs until stdin closes. "First" means first in this
# run of tend: the marker is keyed to the state file, which every tend up creates anew.
run_id=$(stat -c %i "$TEND_STATE")
marker="$TEND_INSTANCE_DIR/demo-flaky-crashed-$run_id"
if [ ! -e "$marker" ]; then
    rm -f "$TEND_INSTANCE_DIR"/demo-flaky-crashed-*
    touch "$marker"
    echo "something went wrong on the first try" >&2
    exit 3
fi
echo "back on my feet"
while read -r _; do :; done
echo "stdin closed: bye"
