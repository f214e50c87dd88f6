#!/bin/sh
# One web worker: waits until the settings are published (tend require), publishes its port, then serves.
set -eu
cd "$(dirname "$0")"
tend require settings --timeout 10s
port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))   # taken? php -S fails, tend starts it again
printf '{"port": "%s"}\n' "$port" >&3
exec php -S "127.0.0.1:$port" router.php
