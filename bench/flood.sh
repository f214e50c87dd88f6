#!/usr/bin/env bash
# Memory of a running tend under a flood of worker output.
#
#   bench/flood.sh [-w IDLE] [-f FLOODERS] [-b BYTES] [-r] [-l] [LAUNCHER]
#
# LAUNCHER is an installed `tend` or the source tree's cli/src/main/launcher/tend (the default);
# nothing is built here. The script
#   1. starts a real instance (`tend up`, its stdout to /dev/null) in a temporary runtime directory,
#      with IDLE idle workers (`cat`, default 100) and FLOODERS workers (default 1) that wait on a
#      FIFO; with -l, the flooders' output goes to a log file (log/flood.log, rotated at 100 MiB, 3
#      kept) in the temporary directory instead of stdout;
#   2. once every worker runs and tend has been idle for 5 s, reads tend's RSS (VmRSS);
#   3. opens the FIFO: each flooder writes BYTES (default 400000000) of `base64 /dev/urandom` (with -r:
#      raw bytes of /dev/urandom, not cut into lines) and then idles;
#   4. waits until every flooder is done, reads VmHWM (the peak since the flood began), waits 10 s
#      and reads VmRSS again;
#   5. prints idle, peak and after in MiB, the peak over idle, and how long the flood took;
#   6. stops the instance.
# Needs bash, mkfifo, base64, head.

set -euo pipefail

idle=100
flooders=1
bytes=400000000
source=base64
log=
while getopts w:f:b:rl opt; do
    case $opt in
        w) idle=$OPTARG ;;
        f) flooders=$OPTARG ;;
        b) bytes=$OPTARG ;;
        r) source=raw ;;
        l) log=$'log_file = "log/{pool}.log"\nlog_max_size = "100MiB"\nlog_keep = 3' ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
tend=${1:-$here/../cli/src/main/launcher/tend}
[[ -x $tend ]] || { echo "flood.sh: $tend is not an executable tend launcher" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tend-flood.XXXXXX")
export TEND_RUNTIME_DIR=$work/run
unset TEND_SOCKET TEND_STATE TEND_NAME
up_pid=

cleanup() {
    if [[ -n $up_pid ]] && kill -0 "$up_pid" 2>/dev/null; then
        "$tend" down -c "$work/tend.toml" >/dev/null 2>&1 || kill "$up_pid" 2>/dev/null || true
        wait "$up_pid" 2>/dev/null || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT

if [[ $source == raw ]]; then
    produce="head -c $bytes /dev/urandom"
else
    produce="base64 /dev/urandom | head -c $bytes"
fi
mkfifo "$work/go"
cat >"$work/tend.toml" <<EOF
name = "flood"

[pool.idle]
command = ["cat"]
count = $idle

[pool.flood]
command = "read -r _ < go; $produce; touch done.\$TEND_INSTANCE; exec cat"
count = $flooders
$log
EOF

rss() { awk -v key="$1:" '$1 == key { printf "%.1f", $2 / 1024 }' "/proc/$up_pid/status"; }

cd "$work"
"$tend" up -c "$work/tend.toml" >/dev/null &
up_pid=$!
for _ in $(seq 600); do
    "$tend" require -c "$work/tend.toml" --timeout 60s "flood.$flooders" >/dev/null 2>&1 && break
    sleep 0.1
done
sleep 5
idle_rss=$(rss VmRSS)
# Resets VmHWM to the current RSS (proc(5), clear_refs), so the peak is the flood's, not start-up's.
echo 5 >"/proc/$up_pid/clear_refs"
# Opening the FIFO for writing releases every flooder blocked in its open for reading at once.
echo go >"$work/go"
start=$EPOCHREALTIME
while (($(compgen -G "$work/done.*" | wc -l) < flooders)); do
    sleep 0.1
done
seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
peak_rss=$(rss VmHWM)
sleep 10
after_rss=$(rss VmRSS)
printf 'workers: %d idle + %d flooding %s bytes each (%s%s)\n' "$idle" "$flooders" "$bytes" "$source" \
    "${log:+, to a log file}"
printf 'RSS idle %s MiB, peak %s MiB (+%s), 10 s after %s MiB; flood took %s s\n' \
    "$idle_rss" "$peak_rss" "$(awk -v a="$idle_rss" -v b="$peak_rss" 'BEGIN { printf "%.1f", b - a }')" \
    "$after_rss" "$seconds"
