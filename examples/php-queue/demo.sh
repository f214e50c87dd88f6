#!/bin/sh
# The story of the example, run by `tend run` once redis and the consumers are ready: queue jobs, kill -9 a
# consumer in the middle, restart the pool gracefully, and check that every job was done exactly once.
set -eu
cd "$(dirname "$0")"
total=300
port=$(tend get redis port)
llen() { redis-cli -p "$port" llen "$1"; }
await_done() {   # await_done N: until N jobs are acknowledged (at most 60 s)
    for _ in $(seq 1 1200); do
        [ "$(llen done)" -ge "$1" ] && return 0
        sleep 0.05
    done
    echo "php-queue: only $(llen done) of $1 jobs done after 60 s" >&2
    exit 1
}
redis-cli -p "$port" del jobs done >/dev/null
php producer.php 100 1
await_done 20
victim=$(tend get consumer.1 --json | php -r 'echo json_decode(stream_get_contents(STDIN))->owner->pid;')
echo "php-queue: kill -9 consumer.1 (pid $victim) in the middle of its jobs"
kill -9 "$victim"
php producer.php 100 101
await_done 120
echo "php-queue: tend restart consumer (graceful: each finishes the job in hand)"
tend restart consumer
php producer.php 100 201
await_done $total
echo "php-queue: tend stop consumer (graceful), so that nothing can land after the count"
tend stop consumer
done_count=$(llen done)
distinct=$(redis-cli -p "$port" lrange done 0 -1 | sort -u | wc -l)
left=$(( $(llen jobs) + $(redis-cli -p "$port" --scan --pattern 'processing:*' | while read -r key; do llen "$key"; done | awk '{s += $1} END {print s + 0}') ))
echo "php-queue: $done_count jobs acknowledged, $distinct distinct, $left left in the queues"
if [ "$done_count" -ne "$total" ] || [ "$distinct" -ne "$total" ] || [ "$left" -ne 0 ]; then
    echo "php-queue: FAILED: expected $total jobs done exactly once" >&2
    exit 1
fi
echo "php-queue: all $total jobs done exactly once, none lost to kill -9 or to the restart"
