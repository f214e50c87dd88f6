#!/usr/bin/env bash
# Reading tend's published state from PHP and Python, next to `tend get` and a loopback Redis GET from the
# same language, in one run.
#
#   bench/clients.sh [-n ITERATIONS] [LAUNCHER]
#
# LAUNCHER is an installed `tend` or the source tree's cli/src/main/launcher/tend (the default); nothing is
# built here. The script starts redis-server on a free loopback port (SET of the same 1 KiB), then a tend
# instance whose worker publishes a 1 KiB snapshot (8 keys of 120 bytes: a 1,060-byte payload) and a
# 1-key one, and, as the command of `tend run`, times in PHP (bench/clients/bench.php: FFI mapping and
# fread) and Python (bench/clients/bench.py: mmap):
#   - the version check of an unchanged slot;
#   - get() of an unchanged slot (the cached array / dict);
#   - a read of the 1 KiB snapshot as after a publish with the same keys (the whole read protocol and the
#     decode; the cached version is made stale before each read);
#   - a Redis GET of the 1 KiB value and of a 2-byte one (php-redis; Python: RESP on a raw socket);
# and then `tend get NAME KEY` (a JVM start each, wall time). Each figure is given as wall time and as the
# measuring process's CPU time (user + system), which a loaded machine inflates less. Each figure is the median of 5 rounds of ITERATIONS
# (default 200,000) calls, after a warm-up round; a tenth of that for reads of 1 KiB and PHP's fread, a
# twentieth for Redis. The machine is often shared: compare figures of one run.
#
# Needs php-cli, php-redis, python3, redis-server (Debian packages).

set -euo pipefail

iterations=200000
if [[ ${1-} == -n ]]; then
    iterations=$2
    shift 2
fi
here=$(cd "$(dirname "$0")" && pwd)
tend=${1:-$here/../cli/src/main/launcher/tend}
[[ -x $tend ]] || { echo "clients.sh: $tend is not an executable tend launcher" >&2; exit 2; }
for tool in php python3 redis-server redis-cli; do
    command -v "$tool" >/dev/null || { echo "clients.sh: $tool is not installed" >&2; exit 2; }
done

work=$(mktemp -d)
redis_pid=
cleanup() {
    [[ -n $redis_pid ]] && kill "$redis_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 30000))
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --logfile "$work/redis.log" &
    redis_pid=$!
    until ! kill -0 "$redis_pid" 2>/dev/null || redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.05; done
    kill -0 "$redis_pid" 2>/dev/null && break
    redis_pid=
done
[[ -n $redis_pid ]] || { echo "clients.sh: redis-server did not start" >&2; exit 1; }

mkdir -p "$work/bin"
ln -s "$tend" "$work/bin/tend"
cat > "$work/tend.toml" <<TOML
name = "bench-clients-$$"
[pool.kib]
command = ["php", "$here/clients/publish.php", "kib"]
ready = "publish"
[pool.tiny]
command = ["php", "$here/clients/publish.php", "tiny"]
ready = "publish"
TOML

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "php $(php -r 'echo PHP_VERSION;') (FFI: $(php -r 'echo extension_loaded("FFI") ? ini_get("ffi.enable") : "absent";')), python $(python3 -c 'import platform; print(platform.python_version())'), redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'); $(date -u '+%Y-%m-%d %H:%M UTC')"
export BENCH_REDIS_PORT=$port BENCH_ITERATIONS=$iterations
PATH=$work/bin:$PATH TEND_RUNTIME_DIR=$work/run "$tend" run -c "$work/tend.toml" --log-format plain -- "$here/clients/measure.sh" \
    2> >(grep -v '^tend ' >&2) | grep -v '^tend \|^kib\.1 \|^tiny\.1 '
