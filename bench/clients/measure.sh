#!/usr/bin/env bash
# Run by bench/clients.sh as the command of `tend run`: PHP, Python, then tend get.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
redis-cli -p "$BENCH_REDIS_PORT" set kib "$(head -c 1024 /dev/zero | tr '\0' x)" >/dev/null
redis-cli -p "$BENCH_REDIS_PORT" set tiny 42 >/dev/null
printf '%-58s %12s %12s\n' "operation" "wall" "CPU"
php "$here/bench.php"
python3 "$here/bench.py"
times=()
for _ in 1 2 3 4 5 6; do
    start=$(date +%s%N)
    tend get kib key0 >/dev/null
    times+=($(( ($(date +%s%N) - start) / 1000 )))
done
median=$(printf '%s\n' "${times[@]:1}" | sort -n | sed -n 3p)
printf '%-58s %9s µs\n' "shell: tend get kib key0 (a JVM start; 5 runs)" "$median"
