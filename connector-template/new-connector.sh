#!/usr/bin/env bash
# Makes a new connector project from this template: a standalone Maven project whose conformance test passes
# as generated, and whose `mvn verify` builds the plugin jar for keyline.connectors.plugins-dir.
#
#   connector-template/new-connector.sh <connector-id> <directory> [java-package] [group-id]
#
#   connector-id  lower-case kebab-case, as GET /connectors will show it (acme-directory)
#   directory     where to write the project; must not exist or be empty
#   java-package  default com.example.keyline.<id without dashes>
#   group-id      default: the package without its last segment
#
# See docs/connectors.md for the whole path from here to a running plugin.
set -euo pipefail

die() { echo "new-connector: $*" >&2; exit 2; }

[[ $# -ge 2 && $# -le 4 ]] || die "usage: $0 <connector-id> <directory> [java-package] [group-id]"
id=$1
dir=$2
[[ $id =~ ^[a-z][a-z0-9-]*[a-z0-9]$ ]] || die "the id must be lower-case kebab-case, like acme-directory: '$id'"
package=${3:-com.example.keyline.${id//-/}}
[[ $package =~ ^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$ ]] || die "not a Java package name: '$package'"
[[ $package != dev.keyline.* ]] || die "pick a package of your own, not under dev.keyline"
group=${4:-${package%.*}}
if [[ -e $dir && -n $(ls -A "$dir" 2>/dev/null) ]]; then
  die "$dir exists and is not empty"
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The Keyline version this template belongs to: its parent's version.
keyline_version=$(sed -n '/<parent>/,/<\/parent>/s#.*<version>\(.*\)</version>.*#\1#p' "$here/pom.xml" | head -n 1)
[[ -n $keyline_version ]] || die "cannot read the Keyline version from $here/pom.xml"

# acme-directory -> AcmeDirectory (class names), Acme Directory (display name)
camel=""
title=""
IFS=- read -r -a words <<<"$id"
for word in "${words[@]}"; do
  camel+="${word^}"
  title+="${title:+ }${word^}"
done

template_package=dev.keyline.connector.template
template_path=${template_package//.//}
package_path=${package//.//}

mkdir -p "$dir"
(cd "$here" && find src -type f) | while read -r file; do
  target=${file//$template_path/$package_path}
  target=${target//Template/$camel}
  mkdir -p "$dir/$(dirname "$target")"
  sed -e "s/Template directory/$title/g" \
      -e "s/$template_package/$package/g" \
      -e "s/Template/$camel/g" \
      -e "s/\"template\"/\"$id\"/g" \
      -e "s/{@code template}/{@code $id}/g" \
      "$here/$file" >"$dir/$target"
done
sed -e "s/@GROUP_ID@/$group/g" \
    -e "s/@ARTIFACT_ID@/keyline-connector-$id/g" \
    -e "s/@CONNECTOR_ID@/$id/g" \
    -e "s/@PACKAGE@/$package/g" \
    -e "s/@KEYLINE_VERSION@/$keyline_version/g" \
    "$here/skeleton/pom.xml" >"$dir/pom.xml"

# The template's own build test stays behind; the new project keeps only its conformance test.
rm -f "$dir/src/test/java/$package_path/NewConnectorScriptTest.java"

echo "Created connector '$id' in $dir (package $package)."
echo "Next: cd $dir && mvn verify   (needs Keyline $keyline_version's connector-api, scim-double, connector-scim and"
echo "      connector-tck in your Maven repository: in the Keyline checkout, ./mvnw install -pl connector-tck,connector-scim -am -DskipTests)"
