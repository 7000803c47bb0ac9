# shellcheck shell=bash
# Shared helpers for scripts/infra/{up,down,status,kafka-tool}. Sourced, not executed.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/../.." && pwd)"
CACHE_DIR="${MICROSHOP_INFRA_CACHE:-$HOME/.cache/microshop-infra}"
DATA_DIR="${MICROSHOP_INFRA_DATA:-$REPO_ROOT/.data/infra}"
POM="$INFRA_DIR/pom.xml"

PG_HOST=127.0.0.1 PG_PORT=5432
REDIS_PORT=6379
KAFKA_PORT=9092 KAFKA_CONTROLLER_PORT=9093
SEARCH_PORT=9200
ES_PORT=9201

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }
# seconds since $1 (ms), one decimal
since() { local d=$(( $(now_ms) - $1 )); printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100)); }

# tcp_open PORT [HOST]: true when something accepts connections.
tcp_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Java processes started by `up` carry -Dmicroshop.infra.service=<svc> and
# -Dmicroshop.infra.data=<DATA_DIR> (followed by more arguments), so `down` can tell
# them apart from any other java process.

# is_ours PID SVC: PID is a live process that `up` started for SVC with this DATA_DIR.
is_ours() {
  local pid=$1 svc=$2 cmd
  pid_alive "$pid" || return 1
  cmd=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ "$cmd" == *"-Dmicroshop.infra.service=$svc "* && "$cmd" == *"-Dmicroshop.infra.data=$DATA_DIR "* ]]
}

# pids_of SVC: every live process started by `up` for SVC with this DATA_DIR
# (pid file first, then a scan of /proc for the marker, in case the pid file was lost).
pids_of() {
  local svc=$1 pidfile="$DATA_DIR/$1/$1.pid" p f seen=" "
  if [[ -f "$pidfile" ]]; then
    p=$(cat "$pidfile" 2>/dev/null || true)
    if is_ours "$p" "$svc"; then echo "$p"; seen+="$p "; fi
  fi
  # the glob is expanded before grep starts, so grep never lists itself
  for f in $(grep -laF -- "-Dmicroshop.infra.data=$DATA_DIR" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    p=${f#/proc/}; p=${p%/cmdline}
    [[ "$seen" == *" $p "* ]] && continue
    if is_ours "$p" "$svc"; then echo "$p"; seen+="$p "; fi
  done
}

find_java() {
  local j
  if [[ -n "${MICROSHOP_INFRA_JAVA:-}" ]]; then j=$MICROSHOP_INFRA_JAVA
  elif [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then j="$JAVA_HOME/bin/java"
  else j=$(command -v java || true)
  fi
  [[ -n "$j" ]] || die "java not found (need Java 17+: apt-get install -y openjdk-17-jre-headless, or set MICROSHOP_INFRA_JAVA)"
  local v
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ "${v%%.*}" -ge 17 ]] 2>/dev/null || die "$j is Java '$v'; Kafka 4 and OpenSearch need Java 17+ (set MICROSHOP_INFRA_JAVA)"
  echo "$j"
}

# fetch_libs PROFILE: make sure $CACHE_DIR/PROFILE/libs holds the jars of that pom.xml profile.
# Keyed on a hash of pom.xml; resolved into a temp dir and renamed, so an interrupted fetch
# never leaves a half-filled libs/ behind. Locked, so parallel `up`s (other clones) share it.
fetch_libs() {
  local profile=$1 dir="$CACHE_DIR/$1" key
  key="$(sha256sum "$POM" | cut -c1-16)-$profile"
  mkdir -p "$dir"
  if [[ -f "$dir/libs/.stamp" && "$(cat "$dir/libs/.stamp")" == "$key" ]]; then return 0; fi
  exec {lockfd}>"$dir/.lock"
  flock "$lockfd"
  if [[ -f "$dir/libs/.stamp" && "$(cat "$dir/libs/.stamp")" == "$key" ]]; then exec {lockfd}>&-; return 0; fi
  command -v mvn >/dev/null || die "mvn not found (apt-get install -y maven) — needed once to fetch $profile jars"
  local t0 tmp="$dir/libs.tmp.$$" attempt
  t0=$(now_ms)
  log "$profile: fetching jars from Maven Central into $dir/libs (one time) ..."
  for attempt in 1 2 3; do
    rm -rf "$tmp"
    if mvn -B -q -f "$POM" -P"$profile" dependency:copy-dependencies \
         -DoutputDirectory="$tmp" >"$dir/mvn.log" 2>&1; then
      break
    fi
    if [[ $attempt == 3 ]]; then
      tail -n 30 "$dir/mvn.log" >&2
      rm -rf "$tmp"; exec {lockfd}>&-
      die "$profile: mvn dependency:copy-dependencies failed (log: $dir/mvn.log)"
    fi
    log "$profile: mvn failed (attempt $attempt), retrying ..."
    sleep 2
  done
  echo "$key" >"$tmp/.stamp"
  rm -rf "$dir/libs"
  mv "$tmp" "$dir/libs"
  exec {lockfd}>&-
  log "$profile: $(find "$dir/libs" -name '*.jar' | wc -l) jars fetched in $(since "$t0")s"
}

# tail_log FILE...: print the end of log files to stderr (used on failures).
tail_log() {
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    printf '[infra] ---- last lines of %s ----\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
}

# stop_svc SVC [TIMEOUT]: SIGTERM our processes for SVC, SIGKILL after TIMEOUT seconds.
stop_svc() {
  local svc=$1 timeout=${2:-30} pids p t0 i
  mapfile -t pids < <(pids_of "$svc")
  if [[ ${#pids[@]} -eq 0 ]]; then
    rm -f "$DATA_DIR/$svc/$svc.pid"
    return 0
  fi
  t0=$(now_ms)
  log "$svc: stopping pid ${pids[*]} (SIGTERM)"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < timeout * 5; i++)); do
    local alive=()
    for p in "${pids[@]}"; do pid_alive "$p" && alive+=("$p"); done
    [[ ${#alive[@]} -eq 0 ]] && break
    sleep 0.2
  done
  for p in "${pids[@]}"; do
    if pid_alive "$p"; then
      log "$svc: pid $p still alive after ${timeout}s, SIGKILL"
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  for p in "${pids[@]}"; do
    for ((i = 0; i < 50; i++)); do pid_alive "$p" || break; sleep 0.1; done
  done
  rm -f "$DATA_DIR/$svc/$svc.pid"
  log "$svc: stopped in $(since "$t0")s"
}
