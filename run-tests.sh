#!/usr/bin/env bash
# Builds every module, runs the whole test suite and installs the artifacts into ~/.m2 (mvn install).
# The tests of impl-kotlin, test-hub and interop-tests run twice, once per hub mode (SCHEDULED_ON_HUB with
# --add-opens java.base/java.lang=ALL-UNNAMED, HANDOFF without); api-java's once. The enforcer checks the
# JDK and Maven versions, dependency convergence and plugin versions; the published artifacts get their
# -sources.jar and -javadoc.jar (Javadoc with doclint for gevent4j-api, Dokka for the Kotlin ones), and the
# BOM is installed. Arguments go to Maven (e.g. -o offline, -q quiet). Finds a JDK >= 21 by itself.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
echo "gevent4j: testing with JAVA_HOME=$JAVA_HOME"
exec mvn -B -ntp install "$@"
