# Sourced by ./mvn25 and ./bench: point JAVA_HOME at a JDK >= 25, or stop with a
# message that says what to install. Maven itself must run on JDK 25: the jar and
# javadoc tools of an older JDK cannot read module-info.class of release 25.

rnn4j_jdk_major() { # $1 = a JDK home; prints its feature version, or nothing
  local rel="$1/release" v
  [ -x "$1/bin/javac" ] || return 0
  if [ -f "$rel" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel" | head -n 1)
  else
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

rnn4j_find_jdk25() {
  local need=25 best="" best_major=0 major dir
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(rnn4j_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$need" ]; then
      return 0
    fi
    echo "rnn4j: JAVA_HOME=$JAVA_HOME is not a JDK >= $need (found '${major:-none}'); looking for one elsewhere." >&2
  fi
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*/jdk* \
             "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
             /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] || continue
    major=$(rnn4j_jdk_major "$dir")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$need" ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    cat >&2 <<MSG
rnn4j: no JDK $need or newer found.
  rnn4j builds and runs on JDK $need (it uses the jdk.incubator.vector module).
  Install one (Debian/Ubuntu: a Temurin $need JDK, which goes under /usr/lib/jvm),
  or set JAVA_HOME to the home directory of a JDK $need, then run this again.
MSG
    return 1
  fi
  export JAVA_HOME="$best"
}
