#!/bin/bash
# Takes jobs from the spool directory (claimed atomically with mv), reads the published greeting, and
# records the job as done. When tend closes stdin, it finishes the job in hand, then exits 0.
spool="$TEND_INSTANCE_DIR/demo-spool"
mkdir -p "$spool/new" "$spool/done"
echo "$TEND_WORKER ready for jobs"
while true; do
    if read -r -t 0.2 _; [ $? -eq 1 ]; then
        echo "stdin closed: no more jobs, exiting"
        exit 0
    fi
    for job in "$spool"/new/*; do
        [ -e "$job" ] || continue
        mine="$spool/$TEND_WORKER.$(basename "$job")"
        mv "$job" "$mine" 2>/dev/null || continue      # another worker took it
        greeting=$(tend get settings greeting)
        sleep 0.3                                       # the work itself
        echo "$greeting from $TEND_WORKER" > "$spool/done/$(basename "$job")"
        rm -f "$mine"
        echo "did $(basename "$job") ($greeting)"
    done
done
