# shellcheck shell=bash
# Shared helpers for scripts/infra/{up,down,status,kafka-tool}. Sourced, not executed.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/../.." && pwd)"
CACHE_DIR="${MICROSHOP_INFRA_CACHE:-${HOME:-/root}/.cache/microshop-infra}"
DATA_DIR="${MICROSHOP_INFRA_DATA:-$REPO_ROOT/.data/infra}"
POM="$INFRA_DIR/pom.xml"

# used by the scripts that source this file
# shellcheck disable=SC2034
{
  PG_HOST=127.0.0.1 PG_PORT=5432
  REDIS_PORT=6379
  KAFKA_PORT=${MICROSHOP_KAFKA_PORT:-9092} KAFKA_CONTROLLER_PORT=${MICROSHOP_KAFKA_CONTROLLER_PORT:-9093}
  SEARCH_PORT=9200
}

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

# kafka_answers [PORT]: send a raw ApiVersions v0 request and expect a response with our
# correlation id. Kafka only processes requests once the broker is unfenced, so this means
# "ready for clients" — and it costs ~0.1 s instead of a JVM start.
kafka_answers() {
  local port=${1:-$KAFKA_PORT} out
  out=$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    # size=12 | api_key=18 (ApiVersions) | api_version=0 | correlation_id=1 | client_id="ms"
    printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02ms' >&3
    timeout 5 head -c 8 <&3 | od -An -tx1 | tr -d ' \n'
  ) || return 1
  [[ "${out:8:8}" == 00000001 ]]
}

# --- class-data sharing (AppCDS): ~35-40% faster JVM start on this 2-core box.
# The first run of a service records its loaded classes at JVM exit (-XX:ArchiveClassesAtExit,
# into the data dir); `down` moves that archive next to the cached jars after a clean stop,
# and later starts map it (-XX:SharedArchiveFile). The JVM checks the archive against the
# jars and itself and ignores it if stale. MICROSHOP_INFRA_CDS=0 turns this off.
cds_archive() { # path of the archive for SVC with this java + these jars
  local jv
  jv=$(readlink -f "$JAVA" | sha256sum | cut -c1-12)
  echo "$CACHE_DIR/$1/libs/cds-$jv.jsa"
}
cds_args() { # cds_args SVC: print JVM options, one per line
  [[ "${MICROSHOP_INFRA_CDS:-1}" == 0 ]] && return 0
  local svc=$1 archive
  archive=$(cds_archive "$svc")
  rm -f "$DATA_DIR/$svc/cds.jsa.tmp"
  if [[ -s "$archive" ]]; then
    echo "-XX:SharedArchiveFile=$archive"
  elif [[ "${CI:-}" != true && -f "$(dirname "$(readlink -f "$JAVA")")/../lib/server/classes.jsa" ]]; then
    # (not under CI: recording makes the final `down` slower and a fresh CI machine never reuses it)
    # dynamic archives need the JDK's base archive; without it the JVM would refuse to start
    echo "$archive" >"$DATA_DIR/$svc/cds.target"
    echo "-XX:ArchiveClassesAtExit=$DATA_DIR/$svc/cds.jsa.tmp"
  fi
  return 0
}
# cds_collect SVC: after a clean stop, publish the archive the JVM wrote at exit.
cds_collect() {
  local svc=$1 tmp="$DATA_DIR/$1/cds.jsa.tmp" target
  target=$(cat "$DATA_DIR/$svc/cds.target" 2>/dev/null || true)
  if [[ -s "$tmp" && -n "$target" && -d "$(dirname "$target")" ]]; then
    cp "$tmp" "$target.$$" && mv -f "$target.$$" "$target" && log "$svc: saved class-data archive for faster starts"
  fi
  rm -f "$tmp" "$DATA_DIR/$svc/cds.target"
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
  # a JVM writing its class-data archive at exit needs longer
  [[ -f "$DATA_DIR/$svc/cds.target" ]] && timeout=$((timeout + 60))
  log "$svc: stopping pid ${pids[*]} (SIGTERM)"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < timeout * 5; i++)); do
    local alive=()
    for p in "${pids[@]}"; do pid_alive "$p" && alive+=("$p"); done
    [[ ${#alive[@]} -eq 0 ]] && break
    sleep 0.2
  done
  local killed=0
  for p in "${pids[@]}"; do
    if pid_alive "$p"; then
      log "$svc: pid $p still alive after ${timeout}s, SIGKILL"
      kill -KILL "$p" 2>/dev/null || true
      killed=1
    fi
  done
  for p in "${pids[@]}"; do
    for ((i = 0; i < 50; i++)); do pid_alive "$p" || break; sleep 0.1; done
  done
  rm -f "$DATA_DIR/$svc/$svc.pid"
  if [[ $killed == 0 ]]; then cds_collect "$svc"; else rm -f "$DATA_DIR/$svc/cds.jsa.tmp"; fi
  log "$svc: stopped in $(since "$t0")s"
}
