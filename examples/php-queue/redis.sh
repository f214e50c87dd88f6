#!/bin/sh
# redis-server for the example, on a free loopback port, publishing the port on fd 3 once it answers.
set -eu
dir=$TEND_INSTANCE_DIR/redis
mkdir -p "$dir"
for try in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no --loglevel warning --logfile "$dir/redis.log" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null && ! redis-cli -p "$port" ping >/dev/null 2>&1; do
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && break    # else the port was taken: try another
    wait "$pid" || true
done
printf '{"port": "%s"}\n' "$port" >&3
echo "redis-server listens on 127.0.0.1:$port"
cat >/dev/null                             # blocks until tend closes stdin: the stop request
# The consumers are stopped at the same time and finish the job in hand first: wait until they are gone.
for _ in $(seq 1 300); do
    clients=$(redis-cli -p "$port" info clients | sed -n 's/^connected_clients:\([0-9]*\).*/\1/p')
    [ "${clients:-1}" -le 1 ] && break
    sleep 0.05
done
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
wait "$pid" || true
echo "redis-server stopped"
