#!/usr/bin/env bash
# Builds everything and runs the whole test suite: every module, each impl test in both hub modes
# (SCHEDULED_ON_HUB with --add-opens, HANDOFF without). Finds a JDK >= 21 by itself.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
echo "gevent4j: testing with JAVA_HOME=$JAVA_HOME"
exec mvn -B -ntp install "$@"
