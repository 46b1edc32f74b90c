#!/usr/bin/env bash
# make run's processes: the web server and the task worker, side by side.
#
#   scripts/serve.sh WEB_COMMAND... -- WORKER_COMMAND...
#
# Each runs in the background in its own process group (set -m), so that one
# signal stops runserver's autoreloader and its child together. When the task
# worker stops (killed, out of memory, a crash), the site stays up: the worker
# is started again after WORKER_RESTART_DELAY seconds (default 2), and the
# terminal says so. When the web server stops, or on Ctrl-C, all stop.
# (In production a service manager does this: README, "Background jobs".)
set -u

web=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    web+=("$1")
    shift
done
[ $# -gt 0 ] && shift
worker=("$@")
if [ ${#web[@]} -eq 0 ] || [ ${#worker[@]} -eq 0 ]; then
    echo "usage: $0 WEB_COMMAND... -- WORKER_COMMAND..." >&2
    exit 2
fi
restart_delay=${WORKER_RESTART_DELAY:-2}

keep_the_worker_running() {
    while true; do
        "${worker[@]}"
        echo "The task worker stopped (exit status $?); starting it again in ${restart_delay} s." >&2
        sleep "$restart_delay"
    done
}

pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    wait
}
trap stop INT TERM EXIT

set -m
"${web[@]}" &
web_pid=$!
pids+=("$web_pid")
keep_the_worker_running &
pids+=("$!")
set +m

wait "$web_pid"
status=$?
echo "The web server stopped (exit status $status); stopping the task worker." >&2
exit "$status"
