#!/usr/bin/env bash
# Runs Sluice's production broker: a standalone Apache Artemis 2.56.0 with broker/standalone/broker.xml.
#
#   broker/standalone/run-broker.sh [WORK_DIR]          # foreground; Ctrl-C (SIGTERM) stops it
#   broker/standalone/run-broker.sh [WORK_DIR] > broker.log 2>&1 &    # background
#
# WORK_DIR (default: target/artemis-standalone of this project) receives the downloaded distribution, the
# unpacked Artemis home and the broker instance (WORK_DIR/instance, its journal in WORK_DIR/instance/data).
# Re-running is safe: the download, the unpacking and the instance are reused (the journal is kept); etc/broker.xml
# is rewritten from the template every time, and the instance is re-created in place (data kept) when the
# user, password or memory change.
#
# Settings (environment):
#   SLUICE_BROKER_HOST      address the acceptor binds to          (default 127.0.0.1; 0.0.0.0 = all interfaces)
#   SLUICE_BROKER_PORT      port of the core-protocol acceptor     (default 61616)
#   SLUICE_BROKER_USER      the broker login Sluice uses           (default sluice)
#   SLUICE_BROKER_PASSWORD  its password                           (default sluice)
#   SLUICE_BROKER_MEMORY    broker heap, -Xmx                      (default 1G; at least 512M)
#   SLUICE_MVN_ARGS         extra Maven arguments for the download (e.g. -o, -s settings.xml)
# The broker's process replaces this script (exec), so the script's PID is the broker's.
set -euo pipefail

ARTEMIS_VERSION=2.56.0
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(cd "$HERE/../.." && pwd)"
WORK="${1:-$PROJECT/target/artemis-standalone}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

HOST="${SLUICE_BROKER_HOST:-127.0.0.1}"
PORT="${SLUICE_BROKER_PORT:-61616}"
USER_NAME="${SLUICE_BROKER_USER:-sluice}"
PASSWORD="${SLUICE_BROKER_PASSWORD:-sluice}"
MEMORY="${SLUICE_BROKER_MEMORY:-1G}"

log() { echo "run-broker: $*" >&2; }

case "$PORT" in
    ''|*[!0-9]*) log "SLUICE_BROKER_PORT must be a number, got '$PORT'"; exit 2 ;;
esac
case "$HOST" in
    *[!A-Za-z0-9.:_-]*|'') log "SLUICE_BROKER_HOST must be a host name or IP address, got '$HOST'"; exit 2 ;;
esac

# 1. The distribution, from Maven Central through the local Maven repository (offline once it is there).
TARBALL="$WORK/download/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz"
if [ ! -s "$TARBALL" ]; then
    log "fetching org.apache.artemis:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin"
    mkdir -p "$WORK/download"
    # run outside any project: a pom in the working directory would make Maven build its reactor
    (cd "$WORK/download" && mvn -B -q -Dstyle.color=never ${SLUICE_MVN_ARGS:-} \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="org.apache.artemis:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin" \
        -DoutputDirectory="$WORK/download" -Dmdep.overWriteReleases=true)
fi

# 2. ARTEMIS_HOME, unpacked once (into a temporary directory first, so an interrupted run leaves no half tree).
ARTEMIS_HOME="$WORK/apache-artemis-$ARTEMIS_VERSION"
if [ ! -x "$ARTEMIS_HOME/bin/artemis" ]; then
    log "unpacking into $ARTEMIS_HOME"
    rm -rf "$WORK/unpack.tmp" "$ARTEMIS_HOME"
    mkdir -p "$WORK/unpack.tmp"
    tar -xzf "$TARBALL" -C "$WORK/unpack.tmp"
    mv "$WORK/unpack.tmp/apache-artemis-$ARTEMIS_VERSION" "$ARTEMIS_HOME"
    rm -rf "$WORK/unpack.tmp"
fi

# 3. The broker instance. `artemis create` writes etc/ (users, roles, JVM profile, JAAS login) and measures the
#    disk's sync rate; --force re-creates etc/ in place and leaves data/ (the journal) alone.
INSTANCE="$WORK/instance"
STAMP="$INSTANCE/etc/.sluice-instance"
WANTED="$(printf '%s\n%s\n%s\n' "$USER_NAME" "$PASSWORD" "$MEMORY" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$INSTANCE/bin/artemis" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANTED" ]; then
    log "creating the broker instance in $INSTANCE"
    FORCE=()
    [ -e "$INSTANCE" ] && FORCE=(--force)
    "$ARTEMIS_HOME/bin/artemis" create --silent --no-web --require-login \
        --user "$USER_NAME" --password "$PASSWORD" --role amq \
        --name sluice --nio --java-memory "$MEMORY" "${FORCE[@]}" "$INSTANCE" > "$WORK/create.log" 2>&1 \
        || { cat "$WORK/create.log" >&2; exit 1; }
    # keep what create generated: its measured journal-buffer-timeout is reused below
    cp "$INSTANCE/etc/broker.xml" "$INSTANCE/etc/broker.xml.created"
    echo "$WANTED" > "$STAMP"
fi

# 4. etc/broker.xml = the template with this run's values in place of its ${...:default} placeholders.
BUFFER_TIMEOUT="$(sed -n 's:.*<journal-buffer-timeout>\([0-9][0-9]*\)</journal-buffer-timeout>.*:\1:p' \
    "$INSTANCE/etc/broker.xml.created" 2>/dev/null | head -n1)"
BUFFER_TIMEOUT="${BUFFER_TIMEOUT:-1000000}"
sed -e "s/\${sluice\.broker\.host:[^}]*}/$HOST/g" \
    -e "s/\${sluice\.broker\.port:[^}]*}/$PORT/g" \
    -e "s/\${sluice\.broker\.journal-buffer-timeout:[^}]*}/$BUFFER_TIMEOUT/g" \
    "$HERE/broker.xml" > "$INSTANCE/etc/broker.xml.tmp"
mv "$INSTANCE/etc/broker.xml.tmp" "$INSTANCE/etc/broker.xml"

# 5. Run in the foreground; the broker is ready when it logs AMQ221007 ("Server is now active").
log "starting Artemis $ARTEMIS_VERSION on $HOST:$PORT (instance $INSTANCE)"
exec "$INSTANCE/bin/artemis" run
