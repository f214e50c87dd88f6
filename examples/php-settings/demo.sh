#!/bin/sh
# The story of the example, run by `tend run` once the sidekick and the web workers are ready: ask both web
# workers, change a setting in the file, and wait (at most 5 s) until both answer with the new value.
set -eu
cd "$(dirname "$0")"
get() { php -r 'echo file_get_contents("http://127.0.0.1:" . $argv[1] . "/"), "";' "$1"; }
greeting() { get "$1" | php -r 'echo json_decode(stream_get_contents(STDIN))->greeting;'; }
ports="$(tend get web.1 port) $(tend get web.2 port)"
for port in $ports; do
    echo "php-settings: http://127.0.0.1:$port/ answers $(get "$port")"
done
echo "php-settings: greeting = \"bonjour\" in settings.ini"
sed 's/^greeting = .*/greeting = "bonjour"/' settings.ini > "$TEND_INSTANCE_DIR/settings.ini.new"
mv "$TEND_INSTANCE_DIR/settings.ini.new" "$TEND_INSTANCE_DIR/settings.ini"
start=$(date +%s%N)
for port in $ports; do
    until [ "$(greeting "$port")" = bonjour ]; do
        if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 5000 ]; then
            echo "php-settings: FAILED: 127.0.0.1:$port still answers $(get "$port") after 5 s" >&2
            exit 1
        fi
        sleep 0.05
    done
done
echo "php-settings: both web workers answer \"bonjour\" $(( ($(date +%s%N) - start) / 1000000 )) ms after the change"
for port in $ports; do
    echo "php-settings: http://127.0.0.1:$port/ answers $(get "$port")"
done
