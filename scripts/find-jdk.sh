#!/usr/bin/env bash
# Sourced by run-tests.sh, run-examples.sh, build-docs.sh and benchmarks/run.sh, and by hand before a direct
# mvn call (`. scripts/find-jdk.sh; mvn ...`: the enforcer refuses a JDK < 21). Exports JAVA_HOME pointing at
# a JDK >= 21 (25 recommended) and puts its bin first on PATH. JAVA_HOME is kept when it is new enough;
# otherwise the newest JDK under /usr/lib/jvm is taken. With none, it stops with a message that says what to
# install.

gevent4j_jdk_feature() { # prints the feature version of the JDK at $1, or nothing
  local v
  [ -x "$1/bin/java" ] || return 0
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  case "$v" in 1.*) v=${v#1.} ;; esac
  printf '%s' "${v%%.*}"
}

gevent4j_find_jdk() {
  local best="" best_v=0 d v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(gevent4j_jdk_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      return 0
    fi
  fi
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    v=$(gevent4j_jdk_feature "$d")
    if [ -n "$v" ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ "$best_v" -ge 21 ]; then
    export JAVA_HOME="$best"
    return 0
  fi
  echo "gevent4j needs a JDK >= 21 (25 recommended); found none in JAVA_HOME or /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 25 into /usr/lib/jvm/temurin-25-jdk-amd64) or set JAVA_HOME to it." >&2
  return 1
}

gevent4j_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
