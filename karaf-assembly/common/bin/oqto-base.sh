#!/bin/sh
# oqto-base.sh: sourced by bin/oqto and bin/oqto-runner (both distributions carry it). A read-only install
# keeps no state: each service has a base of its own for Karaf's etc/ and data/.
#
# prepare_base WHO BASE VARIABLE WHAT [KEPT...]
#   - BASE, its etc/ and data/ must be writable: otherwise stop at once (exit 73) naming the path, its owner
#     and mode (WHO: the message's prefix; VARIABLE: the setting that moves BASE; WHAT: whose state it is);
#   - when the install changed since BASE last took it (an upgrade; the first start), a BASE apart from the
#     install gets the install's etc/ (but for the files KEPT, which the service writes into its etc/ itself),
#     and Karaf starts from a fresh bundle cache: it would otherwise keep the old bundles of the same locations.
# "Changed" is any status change (ctime: a package or tarball writing files, or removing some from a folder)
# under system/ and lib/ (and etc/, for a BASE apart; a BASE that is the install writes into its etc/ itself)
# after data/install.id was written, or another install. One find, stopping at the first change: this runs at
# every start of every user's runner.
prepare_base() {
  who=$1 base=$2 variable=$3 what=$4
  shift 4
  mkdir -p "$base/etc" "$base/data/tmp" "$base/data/log" 2>/dev/null || true
  for dir in "$base" "$base/etc" "$base/data" "$base/data/tmp" "$base/data/log"; do
    if [ ! -d "$dir" ] || [ ! -w "$dir" ] || [ ! -x "$dir" ]; then
      shown=$dir; while [ ! -e "$shown" ]; do shown=$(dirname "$shown"); done
      echo "$who: cannot write $dir as $(id -un) ($shown: $(stat -c '%U:%G %a' "$shown")): the $what keeps its state there; make it writable for $(id -un), or set $variable" >&2
      exit 73
    fi
  done
  stamp="$base/data/install.id"
  parts="$OQTO_HOME/system $OQTO_HOME/lib"
  if [ "$base" != "$OQTO_HOME" ]; then parts="$parts $OQTO_HOME/etc"; fi
  taken=""
  if [ -f "$stamp" ]; then read -r taken < "$stamp" || true; fi
  # shellcheck disable=SC2086
  if [ "$taken" = "$OQTO_HOME" ] && [ -z "$(find $parts -cnewer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  if [ "$base" != "$OQTO_HOME" ]; then
    for kept in "$@"; do if [ -f "$base/etc/$kept" ]; then mv -f "$base/etc/$kept" "$base/data/$kept.kept"; fi; done
    cp -R "$OQTO_HOME/etc/." "$base/etc/"
    for kept in "$@"; do if [ -f "$base/data/$kept.kept" ]; then mv -f "$base/data/$kept.kept" "$base/etc/$kept"; fi; done
  fi
  rm -rf "$base/data/cache"
  printf '%s\n' "$OQTO_HOME" > "$stamp"
}
