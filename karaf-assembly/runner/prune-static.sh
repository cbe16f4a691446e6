#!/bin/sh
# prune-static.sh ASSEMBLY: removes from the static runner distribution what it never uses, which Karaf's framework kar
# brings along: every system/ file that etc/startup.properties does not name (feature repositories, the features
# service, pax-url-aether, fileinstall, pax-logging, ...), the settings of those (etc/), JAXB (lib/jdk9plus, for
# feature repositories) and the console's scripts and accounts (the runner has no console).
set -eu
A=$1
keep=$(mktemp)
trap 'rm -f "$keep"' EXIT
# "reference\:file\:org/…/x.jar = 80" -> "org/…/x.jar"
grep -v '^#' "$A/etc/startup.properties" | sed -n 's/^reference\\:file\\:\([^ =]*\).*/\1/p' > "$keep"
if [ ! -s "$keep" ]; then echo "prune-static: no reference:file: bundle in $A/etc/startup.properties" >&2; exit 1; fi
# and the framework itself (etc/config.properties: karaf.framework.felix = mvn\:org.apache.felix/…/7.0.5)
sed -n 's|^karaf.framework.felix *= *mvn\\:\([^/]*\)/\([^/]*\)/\([^ ]*\).*|\1/\2/\3|p' "$A/etc/config.properties" |
  while IFS=/ read -r g a v; do echo "$(echo "$g" | tr . /)/$a/$v/$a-$v.jar"; done >> "$keep"
sort -o "$keep" "$keep"
(cd "$A/system" && find . -type f | sed 's|^\./||' | sort) | comm -23 - "$keep" | while read -r f; do rm -f "$A/system/$f"; done
find "$A/system" -depth -type d -empty -delete
missing=$(cd "$A/system" && while read -r f; do [ -f "$f" ] || echo "$f"; done < "$keep")
if [ -n "$missing" ]; then echo "prune-static: startup bundles missing from system/: $missing" >&2; exit 1; fi
rm -rf "$A/lib/jdk9plus" "$A/etc/scripts" "$A/deploy"
for f in org.apache.karaf.features.cfg org.apache.karaf.features.xml org.apache.felix.fileinstall-deploy.cfg \
  org.apache.karaf.kar.cfg org.ops4j.pax.logging.cfg org.ops4j.pax.url.mvn.cfg shell.init.script users.properties \
  keys.properties equinox-debug.properties profile.cfg; do
  rm -f "$A/etc/$f"
done
rm -f "$A"/bin/*.bat
