#!/usr/bin/env bash
# The benchmark (issues 7 and 11): the app side by side with nginx doing the same upstream call, on
# this machine, in one run, with the app's CPU time per request. See the README's "Benchmark" section.
#
#   bench/run.sh              build the release binary, measure, print the table and write
#                             bench/results/latest.md
#
# Settings (environment): BENCH_DURATION (seconds per run, 10), BENCH_CONNECTIONS ("1 32 256"),
# BENCH_SLOW_CONNECTIONS (the slow-upstream runs, "1 8 32 64"), BENCH_SLOW_DELAY_MS (how long the
# slow upstream takes to answer a context call, 100), BENCH_THREADS (wrk threads, 2),
# BENCH_PORT_BASE (18400: app +1, upstream +2, reference +3, simulator +4, app on the simulator +5,
# slow upstream +6, app on the slow upstream +7, HTTP/2 front +43), BENCH_FORM (address-update),
# BENCH_SIM_DIALOGS (200), BENCH_UPSTREAM_WORKERS (1), BENCH_FRONT_WORKERS (auto),
# BENCH_H2_CLIENTS (32), BENCH_H2_STREAMS (1), BENCH_SKIP_BUILD=1, BENCH_KEEP=1 (keep the
# temporary folder with every log), BENCH_LOG_LEVEL (the app's log.level, info as in production),
# BENCH_BIN (measure another binary, e.g. with BENCH_SKIP_BUILD=1).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-"1 32 256"}
THREADS=${BENCH_THREADS:-2}
PORT_BASE=${BENCH_PORT_BASE:-18400}
APP_PORT=$((PORT_BASE + 1))
UPSTREAM_PORT=$((PORT_BASE + 2))
REF_PORT=$((PORT_BASE + 3))
SIM_PORT=$((PORT_BASE + 4))
SIM_APP_PORT=$((PORT_BASE + 5))
SLOW_PORT=$((PORT_BASE + 6))
SLOW_APP_PORT=$((PORT_BASE + 7))
H2_PORT=$((PORT_BASE + 43))
FORM=${BENCH_FORM:-address-update}
SIM_DIALOGS=${BENCH_SIM_DIALOGS:-200}
H2_CLIENTS=${BENCH_H2_CLIENTS:-32}
H2_STREAMS=${BENCH_H2_STREAMS:-1}
SLOW_CONNECTIONS=${BENCH_SLOW_CONNECTIONS:-"1 8 32 64"}
SLOW_DELAY_MS=${BENCH_SLOW_DELAY_MS:-100}
LOG_LEVEL=${BENCH_LOG_LEVEL:-info}
BIN=${BENCH_BIN:-"$ROOT/.build/release/disposable-app"}
RESULTS="$BENCH/results/latest.md"

# What the static upstream answers for every context: the fields address-update prefills.
CONTEXT_CONTENT='{"firstName":"Ana","street":"1 Main Street","postalCode":"12345","city":"Springfield","country":"US","customerId":"C-1001"}'
# A complete, valid address-update submit (the form token is added per session).
SUBMIT_FIELDS='_lang=en&_action=submit&street=1+Main+Street&postalCode=12345&city=Springfield&country=US&movingDate=2026-12-01&phone=%2B1+555+010+0000&email=ana%40example.com&customerId=C-1001'

WORK=$(mktemp -d /tmp/disposable-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers run as another user
PIDS=()

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() {
    printf 'bench: %s\n' "$*" >&2
    exit 1
}

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        log "logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Stops one process this script started and forgets it.
stop() {
    local pid=$1 kept=() p
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
    PIDS=("${kept[@]}")
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
load1() { cut -d' ' -f1 /proc/loadavg; }
# kB from /proc/PID/status (VmRSS, VmHWM) as MB with one decimal.
rss_mb() { awk -v key="$2:" '$1 == key { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Waits until URL answers 200, at most $2 seconds.
wait_for() {
    local url=$1 deadline=$(($(now_ms) + ${2:-10} * 1000))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null) == 200 ]]; do
        (($(now_ms) < deadline)) || return 1
        sleep 0.005
    done
}

# render TEMPLATE OUT: replaces @NAME@ with the exported variable NAME.
render() {
    python3 -c '
import os, re, sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r"@([A-Z0-9_]+)@", lambda m: os.environ[m.group(1)], text))' "$1" "$2"
}

# ---------------------------------------------------------------------------------------------
# Tools and the release binary

install_missing() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v h2load >/dev/null || missing+=(nghttp2-client)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v curl >/dev/null || missing+=(curl)
    command -v python3 >/dev/null || missing+=(python3)
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        local sudo=()
        ((EUID == 0)) || sudo=(sudo)
        "${sudo[@]}" apt-get install -y "${missing[@]}" >/dev/null ||
            { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y "${missing[@]}" >/dev/null; }
    fi
}

build() {
    if [[ ${BENCH_SKIP_BUILD:-0} == 1 ]]; then
        [[ -x $BIN ]] || die "BENCH_SKIP_BUILD=1 but $BIN is missing"
        return
    fi
    log "building the release binary (swift build -c release; minutes the first time)"
    (cd "$ROOT" && swift build -c release --product disposable-app) >"$WORK/build.log" 2>&1 ||
        { tail -30 "$WORK/build.log" >&2; die "release build failed"; }
}

# ---------------------------------------------------------------------------------------------
# The servers

NGINX=$(command -v nginx || echo /usr/sbin/nginx)

start_nginx() {
    local name=$1
    "$NGINX" -p "$WORK" -c "$WORK/$name.conf" -e "$WORK/$name-error.log" >"$WORK/$name.out" 2>&1 &
    PIDS+=($!)
}

start_upstreams() {
    export WORK UPSTREAM_PORT APP_PORT REF_PORT H2_PORT
    export UPSTREAM_WORKERS=${BENCH_UPSTREAM_WORKERS:-1} FRONT_WORKERS=${BENCH_FRONT_WORKERS:-auto}
    # The context's content is a JSON string inside JSON; nginx unescapes \\ in quoted strings.
    CONTEXT_JSON=$(python3 -c 'import json, sys; print(json.dumps({"kind": "cxp#disposableAppContext", "content": sys.argv[1]}, separators=(",", ":")).replace("\\", "\\\\"))' "$CONTEXT_CONTENT")
    export CONTEXT_JSON
    mkdir -p "$WORK/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" >/dev/null 2>&1
    render "$BENCH/nginx/upstream.conf.in" "$WORK/upstream.conf"
    render "$BENCH/nginx/front.conf.in" "$WORK/front.conf"
    render "$BENCH/nginx/reference-location.conf.in" "$WORK/reference-location.conf"
    start_nginx upstream
    start_nginx front
    local api="http://127.0.0.1:$UPSTREAM_PORT/via/v2/organizations/bench/customerexperience/disposableApp"
    local deadline=$(($(now_ms) + 5000))
    until curl -sf -o /dev/null "http://127.0.0.1:$REF_PORT/f/x?sessionId=probe"; do
        (($(now_ms) < deadline)) || { cat "$WORK"/*-error.log >&2; die "nginx did not start"; }
        sleep 0.05
    done
    # The upstream answers what the app expects (checked, not assumed).
    curl -sf -H 'x-api-key: bench-api-key' -H 'Authorization: Bearer bench-access-token' \
        "$api/context?sessionId=probe" | python3 -c '
import json, sys
body = json.load(sys.stdin)
assert body["kind"] == "cxp#disposableAppContext", body
json.loads(body["content"])' || die "the static upstream's context is not valid JSON"
}

# start_app NAME PORT TOKEN_URL API_BASE_URL ORG CLIENT SECRET API_KEY: sets APP_PID, READY_MS.
start_app() {
    local name=$1 port=$2
    cat >"$WORK/$name.yaml" <<EOF
http:
  host: 127.0.0.1
  port: $port
alvaria:
  mode: live
  orgId: $5
  clientId: $6
  tokenURL: $3
  apiBaseURL: $4
forms:
  directory: $ROOT/config/forms
limits:
  # One client address (the load generator) makes every request: the per-address limits are off.
  pageLoadsPerMinute: 0
  submitsPerMinute: 0
log:
  level: $LOG_LEVEL
EOF
    local started
    started=$(now_ms)
    (app_command "$name" "$7" "$8" serve) >"$WORK/$name.log" 2>&1 &
    APP_PID=$!
    PIDS+=("$APP_PID")
    wait_for "http://127.0.0.1:$port/readyz" 30 || { tail -20 "$WORK/$name.log" >&2; die "$name did not get ready"; }
    READY_MS=$(($(now_ms) - started))
}

# app_command NAME CLIENT_SECRET API_KEY ARGS…: runs the binary with instance NAME's configuration.
app_command() {
    local name=$1 client_secret=$2 api_key=$3
    shift 3
    cd "$ROOT" && ALVARIA_CLIENT_SECRET=$client_secret ALVARIA_API_KEY=$api_key SECURITY_SECRET=$SECRET \
        DATABASE_URL="sqlite:$WORK/$name.sqlite" exec "$BIN" "$@" --config "$WORK/$name.yaml"
}

# ---------------------------------------------------------------------------------------------
# Measuring

ROWS=()  # Markdown table rows, in order
CLK_TCK=$(getconf CLK_TCK)

# cpu_ticks PID: the CPU time the process has used so far, all its threads, user + system, in clock
# ticks: fields 14 (utime) and 15 (stime) of /proc/PID/stat, counted after the ")" that closes
# field 2, since the command name may hold spaces.
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# per_request_us TICKS REQUESTS: CPU microseconds per request (one tick is 10 ms at CLK_TCK 100, so
# a 10 s run at 1,000 req/s resolves 1 µs per request).
per_request_us() {
    awk -v t="$1" -v hz="$CLK_TCK" -v n="$2" 'BEGIN { if (n <= 0) print "–"; else printf "%.1f", t / hz / n * 1e6 }'
}

# wrk_run LABEL PID CONNECTIONS URL SCRIPT [ENV=VALUE…]: one wrk run; sets the R_* results. PID is
# the app process answering (its CPU per request becomes R_CPU_US), or - for nginx (R_CPU_US –).
wrk_run() {
    local label=$1 pid=$2 connections=$3 url=$4 script=$5
    shift 5
    local threads=$THREADS out ticks=""
    ((connections < threads)) && threads=$connections
    R_LOAD=$(load1)
    out="$WORK/wrk-$label-$connections.txt"
    if [[ $pid != - ]]; then ticks=$(cpu_ticks "$pid"); fi
    env BENCH_LUA_DIR="$BENCH/lua" BENCH_FORM="$FORM" "$@" \
        wrk -t"$threads" -c"$connections" -d"${DURATION}s" --timeout 10s -s "$BENCH/lua/$script" "$url" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed"; }
    # Read at once, before parsing: wrk's requests are the ones answered while these ticks ran.
    if [[ $pid != - ]]; then ticks=$(($(cpu_ticks "$pid") - ticks)); fi
    local line
    line=$(grep '^BENCH ' "$out") || { cat "$out" >&2; die "wrk printed no results"; }
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    R_RPS=$(field rps) R_P50=$(field p50_ms) R_P99=$(field p99_ms) R_MAX=$(field max_ms)
    R_REQUESTS=$(field requests) R_BAD=$(field bad) R_SOCKET=$(field socket_errors) R_STATUSES=$(field statuses)
    R_EXHAUSTED=$(field exhausted)
    R_ERRORS=$((R_BAD + R_SOCKET + ${R_EXHAUSTED:-0}))
    TOTAL_ERRORS=$((TOTAL_ERRORS + R_ERRORS))
    R_CPU_US="–"
    if [[ $pid != - ]]; then R_CPU_US=$(per_request_us "$ticks" "$R_REQUESTS"); fi
    log "$label c=$connections: $R_RPS req/s, p50 $R_P50 ms, p99 $R_P99 ms, max $R_MAX ms, CPU $R_CPU_US µs/req, statuses $R_STATUSES, errors $R_ERRORS (load $R_LOAD)"
}

# status_count STATUS: how many responses of the last run had it.
status_count() { tr ',' '\n' <<<"$R_STATUSES" | awk -F: -v s="$1" '$1 == s { n += $2 } END { print n + 0 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "–"; else if (a / b < 0.1) printf "%.3f", a / b; else printf "%.2f", a / b }'; }
fmt() { awk -v x="$1" 'BEGIN { if (x >= 100) printf "%.0f", x; else if (x >= 10) printf "%.1f", x; else printf "%.2f", x }'; }

fmt_or_dash() { if [[ $1 == – ]]; then echo –; else fmt "$1"; fi; }

row() {  # row WHAT CONNS RPS P50 P99 MAX CPU_US REQUESTS ERRORS RATIO LOAD
    ROWS+=("| $1 | $2 | $(fmt "$3") | $4 | $5 | $6 | $(fmt_or_dash "$7") | $8 | $9 | ${10} | ${11} |")
}

wrk_row() {  # wrk_row WHAT RATIO: a row from the last wrk run
    row "$1" "$R_CONNECTIONS" "$R_RPS" "$(fmt "$R_P50")" "$(fmt "$R_P99")" "$(fmt "$R_MAX")" "$R_CPU_US" "$R_REQUESTS" "$R_ERRORS" "$2" "$R_LOAD"
}

warm_up() {  # a short unmeasured run so that connections, caches and the JIT-less paths are warm
    env BENCH_LUA_DIR="$BENCH/lua" BENCH_FORM="$FORM" "${@:2}" \
        wrk -t1 -c8 -d2s -s "$BENCH/lua/page.lua" "$1" >/dev/null 2>&1 || true
}

# h2_run LABEL PID URL_PREFIX: h2load over TLS for the page route (rotating over 1,000 sessions);
# PID as in wrk_run (the app behind the TLS front: the front's own CPU is not counted).
h2_run() {
    local label=$1 pid=$2 prefix=$3 out="$WORK/h2-$1.txt" urls="$WORK/h2-$1-urls.txt" warm_up=1 sampler=""
    for i in $(seq 1 1000); do echo "https://127.0.0.1:$H2_PORT$prefix/f/$FORM?sessionId=h2-$label-$i"; done >"$urls"
    R_LOAD=$(load1)
    # h2load counts only the requests after its warm-up: read the app's CPU when the warm-up ends.
    if [[ $pid != - ]]; then
        (sleep "$warm_up" && cpu_ticks "$pid" >"$WORK/h2-$label-ticks") &
        sampler=$!
    fi
    h2load -c "$H2_CLIENTS" -m "$H2_STREAMS" -t "$THREADS" -D "$DURATION" --warm-up-time "$warm_up" -i "$urls" >"$out" 2>&1 ||
        { cat "$out" >&2; die "h2load failed"; }
    R_CPU_US="–"
    if [[ -n $sampler ]]; then
        local ticks
        ticks=$(cpu_ticks "$pid")
        wait "$sampler" || die "could not read the app's CPU time during h2load"
        ticks=$((ticks - $(cat "$WORK/h2-$label-ticks")))
    fi
    R_RPS=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$out")
    read -r R_MIN R_MAX R_MEAN < <(awk '/^time for request:/ { print $4, $5, $6 }' "$out")
    local requests failed errored non2xx
    read -r requests failed errored < <(awk '/^requests:/ { print $2, $10, $12 }' "$out")
    non2xx=$(awk '/^status codes:/ { print $7 + $9 }' "$out")
    R_REQUESTS=$requests
    R_ERRORS=$((failed + errored + non2xx))
    TOTAL_ERRORS=$((TOTAL_ERRORS + R_ERRORS))
    if [[ -n $sampler ]]; then R_CPU_US=$(per_request_us "$ticks" "$R_REQUESTS"); fi
    log "$label h2: $R_RPS req/s, mean $R_MEAN, max $R_MAX, CPU $R_CPU_US µs/req, errors $R_ERRORS (load $R_LOAD)"
}

# h2load prints durations with units (us, ms, s): as milliseconds.
to_ms() { awk -v x="$1" 'BEGIN { v = x + 0; if (x ~ /us$/) v /= 1000; else if (x ~ /ms$/) v = v; else if (x ~ /s$/) v *= 1000; printf "%.2f", v }'; }

# ---------------------------------------------------------------------------------------------

main() {
    install_missing
    build
    TOTAL_ERRORS=0
    SECRET=$(openssl rand -hex 32)

    log "starting the static upstream and the nginx reference"
    start_upstreams

    log "starting the app in live mode against the static upstream"
    local token_url="http://127.0.0.1:$UPSTREAM_PORT/tokenservice/oauth2/access_token"
    start_app app "$APP_PORT" "$token_url" "http://127.0.0.1:$UPSTREAM_PORT/via/v2" bench bench-client bench-client-secret bench-api-key
    local app_pid=$APP_PID ready_ms=$READY_MS
    sleep 1
    local idle_rss idle_hwm
    idle_rss=$(rss_mb "$app_pid" VmRSS)
    idle_hwm=$(rss_mb "$app_pid" VmHWM)
    log "ready in $ready_ms ms; idle RSS $idle_rss MB (peak so far $idle_hwm MB)"

    # The submit runs sign their own form tokens: prove they are the app's.
    local page token
    page=$(curl -sf "http://127.0.0.1:$APP_PORT/f/$FORM?sessionId=bench-check") || die "the form page does not answer 200"
    token=$(sed -n 's/.*name="_token" value="\([^"]*\)".*/\1/p' <<<"$page")
    FORM_VERSION=$(python3 "$BENCH/form_tokens.py" check "$SECRET" "$FORM" bench-check "$token") ||
        die "bench/form_tokens.py does not sign form tokens as the app does (FormToken.swift changed?)"
    local page_bytes=${#page}

    warm_up "http://127.0.0.1:$APP_PORT" BENCH_SESSION_PREFIX=warm
    warm_up "http://127.0.0.1:$REF_PORT" BENCH_SESSION_PREFIX=warm

    local c ours_rps ours_cpu headline_ratio="" headline_p99="" page_cpu_1="" page_cpu_32=""
    for c in $CONNECTIONS; do
        R_CONNECTIONS=$c
        wrk_run page-ours "$app_pid" "$c" "http://127.0.0.1:$APP_PORT" page.lua BENCH_SESSION_PREFIX="p$c"
        ours_rps=$R_RPS ours_cpu=$R_CPU_US
        wrk_row "form page, ours" "@RATIO@"
        local ours_row=$((${#ROWS[@]} - 1)) ours_p99=$R_P99
        wrk_run page-nginx - "$c" "http://127.0.0.1:$REF_PORT" page.lua BENCH_SESSION_PREFIX="r$c"
        local r
        r=$(ratio "$ours_rps" "$R_RPS")
        wrk_row "form page, nginx proxy_pass" ""
        ROWS[ours_row]=${ROWS[ours_row]/@RATIO@/**$r**}
        if [[ $c == 1 ]]; then page_cpu_1=$ours_cpu; fi
        if [[ $c == 32 ]]; then headline_ratio=$r headline_p99=$ours_p99 page_cpu_32=$ours_cpu; fi
    done
    local load_hwm
    load_hwm=$(rss_mb "$app_pid" VmHWM)

    log "submits: signing form tokens"
    local submits_303=0 per_thread in_flight_max=0 submit_rps_32=""
    for c in $CONNECTIONS; do
        local threads=$THREADS
        ((c < threads)) && threads=$c
        # Enough sessions for 12,000 submits/s per run, split over the threads.
        per_thread=$((DURATION * 12000 / threads + 1000))
        python3 "$BENCH/form_tokens.py" make "$SECRET" "$FORM" "$FORM_VERSION" "s$c" "$per_thread" "$threads" "$WORK/submit-$c"
    done
    for c in $CONNECTIONS; do
        R_CONNECTIONS=$c
        wrk_run submit-ours "$app_pid" "$c" "http://127.0.0.1:$APP_PORT" submit.lua \
            BENCH_SUBMIT_FILE="$WORK/submit-$c" BENCH_SUBMIT_FIELDS="$SUBMIT_FIELDS"
        submits_303=$((submits_303 + $(status_count 303)))
        in_flight_max=$((in_flight_max + c))  # posts sent but cut off when wrk stopped
        if [[ $c == 32 ]]; then submit_rps_32=$R_RPS; fi
        wrk_row "submit (POST → 303), ours" ""
    done
    load_hwm=$(awk -v a="$load_hwm" -v b="$(rss_mb "$app_pid" VmHWM)" 'BEGIN { print (b > a ? b : a) }')

    log "HTTP/2 through nginx (TLS), h2load"
    h2_run ours "$app_pid" ""
    local h2_ours=$R_RPS
    ROWS+=("| form page over HTTP/2 + TLS via nginx, ours (h2load, mean) | $H2_CLIENTS×$H2_STREAMS | $(fmt "$R_RPS") | $(to_ms "$R_MEAN") (mean) | – | $(to_ms "$R_MAX") | $(fmt_or_dash "$R_CPU_US") | $R_REQUESTS | $R_ERRORS | @RATIO@ | $R_LOAD |")
    local h2_row=$((${#ROWS[@]} - 1))
    h2_run reference - /ref
    ROWS+=("| form page over HTTP/2 + TLS, nginx proxy_pass (h2load, mean) | $H2_CLIENTS×$H2_STREAMS | $(fmt "$R_RPS") | $(to_ms "$R_MEAN") (mean) | – | $(to_ms "$R_MAX") | – | $R_REQUESTS | $R_ERRORS |  | $R_LOAD |")
    ROWS[h2_row]=${ROWS[h2_row]/@RATIO@/**$(ratio "$h2_ours" "$R_RPS")**}

    log "waiting for every stored outcome to be delivered"
    local delivered_lines=0 previous=-1 deadline=$(($(now_ms) + 60000))
    while (($(now_ms) < deadline)); do
        delivered_lines=$(grep -c '^s' "$WORK/outcome.log" || true)
        ((delivered_lines >= submits_303 && delivered_lines == previous)) && break
        previous=$delivered_lines
        sleep 1
    done
    load_hwm=$(awk -v a="$load_hwm" -v b="$(rss_mb "$app_pid" VmHWM)" 'BEGIN { print (b > a ? b : a) }')
    stop "$app_pid"
    local outcomes unique_outcomes outcome_not_204 token_requests
    outcomes=$(grep -c '^s' "$WORK/outcome.log" || true)
    unique_outcomes=$(awk '/^s/ { print $1 }' "$WORK/outcome.log" | sort -u | wc -l)
    outcome_not_204=$(awk '/^s/ && $2 != 204' "$WORK/outcome.log" | wc -l)
    token_requests=$(wc -l <"$WORK/token.log")
    # What the app's own outbox says (disposable-app outbox list): "Q queued, F failed, D delivered"
    # (a line of its own: drafts and files are counted on the next).
    local summary stored_queued stored_failed stored_delivered
    summary=$( (app_command app bench-client-secret bench-api-key outbox list --limit 1) | grep -E '^[0-9]+ queued, ' | tail -1)
    read -r stored_queued stored_failed stored_delivered < <(sed -n 's/^\([0-9]*\) queued, \([0-9]*\) failed, \([0-9]*\) delivered.*/\1 \2 \3/p' <<<"$summary")
    [[ -n $stored_delivered ]] || die "unexpected outbox summary: $summary"

    log "the same form page with the project's simulator as the upstream"
    (cd "$ROOT" && exec "$BIN" simulator --port "$SIM_PORT" --app-url "http://127.0.0.1:$SIM_APP_PORT") >"$WORK/simulator.log" 2>&1 &
    local sim_pid=$!
    PIDS+=("$sim_pid")
    local deadline=$(($(now_ms) + 20000))
    until curl -s -o /dev/null "http://127.0.0.1:$SIM_PORT/simulator/stats"; do
        (($(now_ms) < deadline)) || die "the simulator did not start"
        sleep 0.05
    done
    local content="\"${CONTEXT_CONTENT//\"/\\\"}\""  # as a JSON string
    for i in $(seq 0 $((SIM_DIALOGS - 1))); do
        curl -sf -o /dev/null -H 'Content-Type: application/json' -d "{\"sessionId\":\"sim-$i\",\"content\":$content}" \
            "http://127.0.0.1:$SIM_PORT/simulator/dialogs" || die "could not create the simulator's dialog sim-$i"
    done
    start_app simapp "$SIM_APP_PORT" "http://127.0.0.1:$SIM_PORT/tokenservice/oauth2/access_token" \
        "http://127.0.0.1:$SIM_PORT/via/v2" demo demo demo-secret demo-key
    local simapp_pid=$APP_PID
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_APP_PORT/f/$FORM?sessionId=sim-0") == 200 ]] ||
        die "the app on the simulator does not serve the form page"
    warm_up "http://127.0.0.1:$SIM_APP_PORT" BENCH_SESSION_PREFIX=sim BENCH_SESSION_POOL="$SIM_DIALOGS"
    for c in $CONNECTIONS; do
        R_CONNECTIONS=$c
        wrk_run page-simulator "$simapp_pid" "$c" "http://127.0.0.1:$SIM_APP_PORT" page.lua BENCH_SESSION_PREFIX=sim BENCH_SESSION_POOL="$SIM_DIALOGS"
        wrk_row "form page, ours, simulator as upstream" ""
    done
    stop "$simapp_pid"
    stop "$sim_pid"

    # A real Alvaria answers in hundreds of ms: pages/s must then rise with connections up to
    # limits.upstreamConcurrency (32 by default), which only holds if the app really keeps that many
    # context calls open at once (AsyncHTTPClient's pool allows 8 per host unless told otherwise).
    log "the form page with a slow upstream ($SLOW_DELAY_MS ms per context call)"
    (exec python3 "$BENCH/slow_upstream.py" "$SLOW_PORT" "$SLOW_DELAY_MS" "$CONTEXT_CONTENT") >"$WORK/slow-upstream.log" 2>&1 &
    local slow_pid=$!
    PIDS+=("$slow_pid")
    local slow_stats="http://127.0.0.1:$SLOW_PORT/bench/stats"
    deadline=$(($(now_ms) + 10000))
    until curl -sf -o /dev/null "$slow_stats"; do
        (($(now_ms) < deadline)) || { cat "$WORK/slow-upstream.log" >&2; die "the slow upstream did not start"; }
        sleep 0.05
    done
    start_app slowapp "$SLOW_APP_PORT" "http://127.0.0.1:$SLOW_PORT/tokenservice/oauth2/access_token" \
        "http://127.0.0.1:$SLOW_PORT/via/v2" bench bench-client bench-client-secret bench-api-key
    local slowapp_pid=$APP_PID
    warm_up "http://127.0.0.1:$SLOW_APP_PORT" BENCH_SESSION_PREFIX=slow-warm
    # slow_stat KEY: one counter of the slow upstream (bench/slow_upstream.py).
    slow_stat() { curl -sf "$slow_stats" | python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
    local slow_rps_32="" slow_in_flight=() slow_c=()
    for c in $SLOW_CONNECTIONS; do
        R_CONNECTIONS=$c
        # Pages still queued in the app from the previous run would count as this run's calls in
        # flight: wait until the upstream has none open (twice in a row), then zero its counters.
        deadline=$(($(now_ms) + 10000))
        until [[ $(slow_stat in_flight) == 0 ]] && sleep 0.1 && [[ $(slow_stat in_flight) == 0 ]]; do
            (($(now_ms) < deadline)) || die "the slow upstream still has context calls open"
            sleep 0.1
        done
        curl -sf -o /dev/null "$slow_stats?reset=1"
        wrk_run page-slow "$slowapp_pid" "$c" "http://127.0.0.1:$SLOW_APP_PORT" page.lua BENCH_SESSION_PREFIX="slow$c"
        slow_c+=("$c")
        slow_in_flight+=("$(slow_stat max_in_flight)")
        log "  context calls in flight at the slow upstream: at most ${slow_in_flight[-1]}"
        if [[ $c == 32 ]]; then slow_rps_32=$R_RPS; fi
        wrk_row "form page, ours, upstream $SLOW_DELAY_MS ms" ""
    done
    stop "$slowapp_pid"
    stop "$slow_pid"

    # ------------------------------------------------------------------------------------------
    # The report

    local cpu swift_version nginx_version wrk_version h2load_version
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    swift_version=$(swift --version 2>&1 | head -1)
    nginx_version=$("$NGINX" -v 2>&1)
    wrk_version=$( (wrk -v 2>&1 || true) | head -1 | cut -d" " -f1-2)
    h2load_version=$(h2load --version | head -1)
    # met CONDITION [VALUE…]: whether CONDITION holds; "not measured" when a VALUE is missing
    # (BENCH_CONNECTIONS or BENCH_SLOW_CONNECTIONS left its run out).
    met() {
        local v
        for v in "${@:2}"; do [[ -n $v && $v != – ]] || { echo "not measured"; return; }; done
        if awk "BEGIN { exit !($1) }"; then echo met; else echo "**missed**"; fi
    }
    local slow_in_flight_text
    slow_in_flight_text="context calls in flight at the upstream at most $(IFS=/ && echo "${slow_in_flight[*]}") at $(IFS=/ && echo "${slow_c[*]}") connections"

    {
        echo "# Benchmark: $(date -u +%Y-%m-%dT%H:%MZ)"
        echo
        echo "**Headline (ours / nginx proxy_pass, same static upstream, same run):** form page at 32 connections" \
            "**$headline_ratio** × nginx's throughput, p99 $(fmt "$headline_p99") ms, $(fmt_or_dash "${page_cpu_32:-–}") µs of the app's CPU per page."
        echo
        echo "Machine: $(nproc) cores, $cpu; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)" \
            "(other work on the machine shows in the load column: read the numbers with it)."
        echo "Versions: $swift_version; $nginx_version; $wrk_version; $h2load_version."
        echo "Each run: ${DURATION} s, wrk with up to $THREADS threads (one for one connection), a new sessionId per page" \
            "load and per submit; the app in live mode (SQLite, log level $LOG_LEVEL, per-address rate limits off," \
            "other settings default) against a static nginx upstream (1 context call per page load); the form page is" \
            "$page_bytes bytes of HTML, the reference returns the context JSON. Latencies in ms." \
            "CPU/req: the app process's user + system CPU time (/proc/PID/stat) over the run divided by the requests" \
            "answered, in µs (the app only: not the load generator, nginx or the upstream; – for nginx; a submit's" \
            "includes its immediate delivery). Upstream $SLOW_DELAY_MS ms: another app instance, its upstream" \
            "bench/slow_upstream.py answering each context call after $SLOW_DELAY_MS ms."
        echo
        echo "| run | connections | req/s | p50 | p99 | max | CPU/req (µs) | requests | errors | ours/nginx req/s | load 1m |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "${ROWS[@]}"
        echo
        echo "| target | measured | |"
        echo "|---|---|---|"
        echo "| form page at 32 connections ≥ 0.4 × nginx proxy_pass | $headline_ratio × | $(met "$headline_ratio >= 0.4" "$headline_ratio") |"
        echo "| goal: form page at 32 connections ≥ 0.5 × nginx proxy_pass | $headline_ratio × | $(met "$headline_ratio >= 0.5" "$headline_ratio") |"
        echo "| form page p99 at 32 connections ≤ 10 ms | $(fmt_or_dash "${headline_p99:-–}") ms | $(met "$headline_p99 <= 10" "$headline_p99") |"
        echo "| CPU per form page at 1 connection ≤ 100 µs | $(fmt_or_dash "${page_cpu_1:-–}") µs | $(met "$page_cpu_1 <= 100" "$page_cpu_1") |"
        echo "| CPU per form page at 32 connections ≤ 100 µs | $(fmt_or_dash "${page_cpu_32:-–}") µs | $(met "$page_cpu_32 <= 100" "$page_cpu_32") |"
        echo "| submits (POST → 303) at 32 connections ≥ 4,000/s | $(fmt_or_dash "${submit_rps_32:-–}")/s | $(met "$submit_rps_32 >= 4000" "$submit_rps_32") |"
        echo "| every outcome delivered exactly once | $submits_303 submits answered 303 (+ up to $in_flight_max cut off in flight when wrk stopped);" \
            "outbox: $stored_delivered delivered, $stored_queued queued, $stored_failed failed; upstream received $outcomes outcome posts" \
            "for $unique_outcomes distinct sessions, $outcome_not_204 not answered 204 |" \
            "$(met "$outcomes == $stored_delivered && $unique_outcomes == $outcomes && $outcome_not_204 == 0 && $stored_queued + $stored_failed == 0 && $stored_delivered >= $submits_303 && $stored_delivered <= $submits_303 + $in_flight_max") |"
        echo "| upstream $SLOW_DELAY_MS ms: form page at 32 connections ≥ 250 pages/s | $(fmt_or_dash "${slow_rps_32:-–}") pages/s; $slow_in_flight_text |" \
            "$(met "$slow_rps_32 >= 250" "$slow_rps_32") |"
        echo "| peak RSS idle ≤ 64 MB | $idle_hwm MB (RSS $idle_rss MB) | $(met "$idle_hwm <= 64") |"
        echo "| peak RSS at 256 connections ≤ 160 MB | $load_hwm MB (VmHWM after all runs) | $(met "$load_hwm <= 160") |"
        echo "| ready ≤ 300 ms after start | $ready_ms ms (process start to /readyz 200, token fetched) | $(met "$ready_ms <= 300") |"
        echo "| exactly 1 token request | $token_requests | $(met "$token_requests == 1") |"
        echo "| no error responses | $TOTAL_ERRORS (non-2xx/3xx, socket errors, reused sessions) | $(met "$TOTAL_ERRORS == 0") |"
    } >"$WORK/table.md"
    mkdir -p "$(dirname "$RESULTS")"
    cp "$WORK/table.md" "$RESULTS"
    echo
    cat "$RESULTS"
    echo
    log "written to ${RESULTS#"$ROOT"/}"
}

main "$@"
