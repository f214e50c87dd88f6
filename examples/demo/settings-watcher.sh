#!/bin/bash
# Publishes the shop's settings: one JSON object per line on fd 3 is one snapshot of this worker's state.
# A real watcher would follow a config service, a failover or a rotated secret; this one changes the
# greeting every two seconds. It stops when tend closes its stdin.
generation=1
greetings=("hello" "bonjour" "hola" "hallo" "ciao")
while true; do
    greeting=${greetings[$(( (generation - 1) % ${#greetings[@]} ))]}
    echo "{\"greeting\": \"$greeting\", \"generation\": \"$generation\"}" >&3
    echo "published generation $generation: $greeting"
    # Wait two seconds for the next change, or for end of file on stdin: tend asking us to stop.
    if read -r -t 2 _; [ $? -eq 1 ]; then
        echo "stdin closed: stopping"
        exit 0
    fi
    generation=$((generation + 1))
done
