#!/usr/bin/env bash
# Makes a new connector project from a template: a standalone Maven project whose conformance test passes as
# generated, and whose `mvn verify` builds target/<artifact>-<version>-plugin.jar for keyline.connectors.plugins-dir.
#
#   connector-template/new-connector.sh [--kind scim|json] <connector-id> <directory> [java-package] [group-id]
#
#   --kind scim   (default) a provider that speaks SCIM 2.0: reads it with connector-scim, validates with its
#                 shared rule (ScimValidation); copies connector-template
#   --kind json   a plain JSON API that is not SCIM (an HR system, a SaaS admin API): your own HTTP calls and
#                 mapping, tested against the kit's JSON API double; copies connector-template-json
#   connector-id  lower-case kebab-case, as GET /connectors will show it (acme-directory)
#   directory     where to write the project; must not exist or be empty
#   java-package  default com.example.keyline.<id without dashes>
#   group-id      default: the package without its last segment
#
# See docs/connectors.md for the whole path from here to a running plugin.
set -euo pipefail

usage="usage: $0 [--kind scim|json] <connector-id> <directory> [java-package] [group-id]"
die() { echo "new-connector: $*" >&2; exit 2; }

kind=scim
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --kind) [[ $# -ge 2 ]] || die "$usage"; kind=$2; shift 2 ;;
    --kind=*) kind=${1#--kind=}; shift ;;
    -h|--help) echo "$usage"; exit 0 ;;
    -*) die "unknown option '$1'; $usage" ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ $kind == scim || $kind == json ]] || die "--kind is scim (a SCIM 2.0 provider) or json (a plain JSON API): '$kind'"
[[ ${#args[@]} -ge 2 && ${#args[@]} -le 4 ]] || die "$usage"
id=${args[0]}
dir=${args[1]}
[[ $id =~ ^[a-z][a-z0-9-]*[a-z0-9]$ ]] || die "the id must be lower-case kebab-case, like acme-directory: '$id'"
package=${args[2]:-com.example.keyline.${id//-/}}
[[ $package =~ ^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$ ]] || die "not a Java package name: '$package'"
[[ $package != dev.keyline.* ]] || die "pick a package of your own, not under dev.keyline"
group=${args[3]:-${package%.*}}
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

# Message codes are lower-case dotted words: acme-directory -> acme_directory.
code_namespace=${id//-/_}
if [[ $kind == json ]]; then
  source_dir=$(cd "$here/.." && pwd)/connector-template-json
  template_package=dev.keyline.connector.templatejson
  [[ -d $source_dir ]] || die "this Keyline checkout has no connector-template-json, which --kind json copies"
else
  source_dir=$here
  template_package=dev.keyline.connector.template
fi
template_path=${template_package//.//}
package_path=${package//.//}

mkdir -p "$dir"
(cd "$source_dir" && find src -type f) | while read -r file; do
  target=${file//$template_path/$package_path}
  target=${target//Template/$camel}
  mkdir -p "$dir/$(dirname "$target")"
  sed -e "s/Template directory/$title/g" \
      -e "s/Template JSON API/$title/g" \
      -e "s/$template_package\b/$package/g" \
      -e "s/MESSAGE_CODES = \"template[a-z_-]*\"/MESSAGE_CODES = \"$code_namespace\"/g" \
      -e "s/\"template\(_json\)\?\./\"$code_namespace./g" \
      -e "s/Template/$camel/g" \
      -e "s/\"template\(-json\)\?\"/\"$id\"/g" \
      -e "s/{@code template\(-json\)\?}/{@code $id}/g" \
      -e "s/^template\(_json\)\?\./$code_namespace./" \
      "$source_dir/$file" >"$dir/$target"
done
sed -e "s/@GROUP_ID@/$group/g" \
    -e "s/@ARTIFACT_ID@/keyline-connector-$id/g" \
    -e "s/@CONNECTOR_ID@/$id/g" \
    -e "s/@PACKAGE@/$package/g" \
    -e "s/@KEYLINE_VERSION@/$keyline_version/g" \
    "$source_dir/skeleton/pom.xml" >"$dir/pom.xml"

# The template's own build tests stay behind; the new project keeps its conformance test.
rm -f "$dir/src/test/java/$package_path/NewConnectorScriptTest.java" "$dir/src/test/java/$package_path/PluginPomTest.java"

if [[ -f $source_dir/skeleton/README.md ]]; then
  sed -e "s/@ARTIFACT_ID@/keyline-connector-$id/g" -e "s/@CONNECTOR_ID@/$id/g" \
      "$source_dir/skeleton/README.md" >"$dir/README.md"
fi

echo "Created $kind connector '$id' in $dir (package $package)."
echo "Next: cd $dir && mvn verify   (needs Keyline $keyline_version's connector-api, scim-double, connector-scim and"
echo "      connector-tck in your Maven repository: in the Keyline checkout, ./mvnw install -pl connector-tck,connector-scim -am -DskipTests)"
echo "Then: cp target/*.jar <plugins-dir>/   (the only jar there: keyline-connector-$id-<version>-plugin.jar)"
