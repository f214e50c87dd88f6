#!/bin/bash
# The main job of the tour, run by `tend run` once every worker is ready: queue some jobs, wait for the
# workers to do them, show what tend knows, and exit 0. tend then stops every worker gracefully.
set -e
spool="$TEND_INSTANCE_DIR/demo-spool"
mkdir -p "$spool/new" "$spool/done"
rm -f "$spool"/done/*
echo "shop: queueing 9 jobs"
for i in 1 2 3 4 5 6 7 8 9; do
    echo "job $i" > "$spool/new/job-$i.tmp" && mv "$spool/new/job-$i.tmp" "$spool/new/job-$i"
done
for _ in $(seq 1 300); do
    [ "$(ls "$spool/done" | wc -l)" -ge 9 ] && break
    sleep 0.1
done
echo "shop: all jobs done; the workers, as tend sees them:"
tend ps
echo "shop: the settings the watcher published:"
tend get settings --json
