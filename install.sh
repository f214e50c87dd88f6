#!/bin/sh
# Builds tend from this source tree and installs it; see usage below or run ./install.sh --help.
#
# Everything that changes the system is in functions called from the last line, so a truncated
# download (curl ... | sh) does nothing.

set -eu

usage() {
    cat <<'EOF'
Usage: ./install.sh [options]

Builds tend with Maven and installs it under a prefix:
  PREFIX/bin/tend                  the launcher (finds a Java 17+ runtime and runs tend)
  PREFIX/lib/tend/                 tend.jar, its libraries, install-manifest.txt and text/ (what
                                   the launcher prints without a JVM: --version, the help pages)
  PREFIX/share/...                 shell completions and the man pages, when the source tree has them
  PREFIX/share/doc/tend/           the documentation (docs/*.md)
  PREFIX/share/tend/php/           the PHP client library (require share/tend/php/src/autoload.php)
  PREFIX/share/tend/python/        the Python package tend_state (add share/tend/python to sys.path)

Options:
  --prefix DIR     install under DIR (default: /usr/local as root, ~/.local otherwise)
  --no-build       install what is already built in cli/target instead of running Maven
  --with-tests     build with `mvn verify` (runs the tests) instead of `mvn package -DskipTests`
  --run-example    after installing, run the demo tour:
                     tend run -c examples/demo/tend.toml -- examples/demo/shop.sh
  --uninstall      remove what a previous install under the prefix put there, and nothing else
  -h, --help       show this help

Building needs a JDK 17+ (with javac) and Maven 3.6.3+; on Debian/Ubuntu:
  sudo apt-get install openjdk-17-jdk maven
Running tend needs only a Java 17+ runtime.

To install system-wide without building as root:
  mvn -B -q -DskipTests package && sudo ./install.sh --no-build

Environment: JAVA_HOME (JDK to build with, if 17+), TEND_JVM_DIRS (colon-separated
directories searched for JDKs, default /usr/lib/jvm), MVN (Maven command, default: ./mvnw when
present, else mvn), TEND_CDS=0 (no training pass: the class-data archive that makes commands
start faster, kept per user in ~/.cache/tend, is then made by the first command).
Installing again upgrades in place (files are replaced atomically) and removes files of the
previous install that are no longer part of tend.
EOF
}

say() { printf '%s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() {
    printf 'install.sh: %s\n' "$1" >&2
    shift
    for line in "$@"; do
        printf '  %s\n' "$line" >&2
    done
    exit 1
}

# ---- options -------------------------------------------------------------------------------

parse_args() {
    prefix=
    build=true
    goal=package
    run_example=false
    action=install
    while [ $# -gt 0 ]; do
        case $1 in
            --prefix)
                if [ $# -lt 2 ] || [ -z "$2" ]; then
                    die "--prefix needs a directory"
                fi
                prefix=$2
                shift
                ;;
            --prefix=*) prefix=${1#--prefix=} ;;
            --no-build) build=false ;;
            --with-tests) goal=verify ;;
            --run-example) run_example=true ;;
            --uninstall) action=uninstall ;;
            -h | --help)
                usage
                exit 0
                ;;
            *) die "unknown option: $1 (see ./install.sh --help)" ;;
        esac
        shift
    done
    if [ -z "$prefix" ]; then
        if [ "$(id -u)" = 0 ]; then
            prefix=/usr/local
        else
            [ -n "${HOME:-}" ] || die "HOME is not set; choose a prefix with --prefix DIR"
            prefix=$HOME/.local
        fi
    fi
    case $prefix in
        /*) ;;
        *) prefix=$PWD/$prefix ;;
    esac
    while :; do
        case $prefix in
            ?*/) prefix=${prefix%/} ;;
            *) break ;;
        esac
    done
    manifest=$prefix/lib/tend/install-manifest.txt
}

# ---- source tree and build -----------------------------------------------------------------

find_source_tree() {
    case $0 in
        */*) srcdir=${0%/*} ;;
        *) srcdir=. ;;
    esac
    srcdir=$(cd -- "$srcdir" && pwd -P)
    if [ ! -f "$srcdir/pom.xml" ] || [ ! -f "$srcdir/cli/src/main/launcher/tend" ]; then
        die "run install.sh from a tend source checkout (no pom.xml and launcher next to $0)."
    fi
    build_dir=$srcdir/cli/target
}

# jdk_version HOME: set jdk_major to the Java feature version of the JDK at HOME (0 if unknown).
jdk_version() {
    jdk_major=0
    v=
    if [ -r "$1/release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1/release" | sed -n 1p)
    fi
    if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
        v=$("$1/bin/java" -version 2>&1 | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | sed -n 1p)
    fi
    case $v in 1.*) v=${v#1.} ;; esac
    v=${v%%[!0-9]*}
    jdk_major=${v:-0}
}

# Sets build_jdk to the home of a JDK 17+ that has javac, preferring JAVA_HOME, then javac on
# PATH, then the newest JDK in TEND_JVM_DIRS (default /usr/lib/jvm). Sets build_jdk_problem to a
# description of what was searched when there is none.
find_build_jdk() {
    build_jdk=
    searched=
    jre_only=
    if [ -n "${JAVA_HOME:-}" ]; then
        if [ -x "$JAVA_HOME/bin/javac" ]; then
            jdk_version "$JAVA_HOME"
            if [ "$jdk_major" -ge 17 ]; then
                build_jdk=$JAVA_HOME
                return 0
            fi
            searched="JAVA_HOME=$JAVA_HOME (Java $jdk_major)"
        else
            searched="JAVA_HOME=$JAVA_HOME (no bin/javac)"
        fi
    fi
    if javac=$(command -v javac 2>/dev/null) && [ -n "$javac" ]; then
        home=$(readlink -f -- "$javac")
        home=${home%/bin/javac}
        jdk_version "$home"
        if [ "$jdk_major" -ge 17 ]; then
            build_jdk=$home
            [ -z "$searched" ] || warn "ignoring $searched; building with the JDK in $build_jdk"
            return 0
        fi
        searched="${searched:+$searched, }javac on PATH ($javac: Java $jdk_major)"
    else
        searched="${searched:+$searched, }javac on PATH (none)"
    fi
    best=0
    old_ifs=$IFS
    IFS=:
    for dir in ${TEND_JVM_DIRS-/usr/lib/jvm}; do
        IFS=$old_ifs
        [ -n "$dir" ] || continue
        searched="$searched, $dir/*/bin/javac"
        for home in "$dir"/*; do
            [ -x "$home/bin/java" ] || continue
            jdk_version "$home"
            [ "$jdk_major" -ge 17 ] || continue
            if [ ! -x "$home/bin/javac" ]; then
                jre_only=$home
                continue
            fi
            if [ "$jdk_major" -gt "$best" ]; then
                best=$jdk_major
                build_jdk=$home
            fi
        done
    done
    IFS=$old_ifs
    if [ -n "$build_jdk" ]; then
        case $searched in
            JAVA_HOME=*) warn "ignoring ${searched%%, javac on PATH*}; building with the JDK in $build_jdk" ;;
        esac
        return 0
    fi
    if [ -z "$jre_only" ] && java=$(command -v java 2>/dev/null) && [ -n "$java" ]; then
        home=$(readlink -f -- "$java")
        home=${home%/bin/java}
        jdk_version "$home"
        [ "$jdk_major" -lt 17 ] || jre_only=$home
    fi
    build_jdk_problem="Searched: $searched."
    if [ -n "$jre_only" ]; then
        build_jdk_problem="$build_jdk_problem Found a Java runtime without javac in $jre_only: a JRE, not a JDK."
    fi
}

check_build_tools() {
    find_build_jdk
    if [ -n "${MVN:-}" ]; then
        mvn=$MVN
    elif [ -x "$srcdir/mvnw" ]; then
        mvn=$srcdir/mvnw
    else
        mvn=$(command -v mvn 2>/dev/null) || mvn=
    fi
    if [ -z "$build_jdk" ] && [ -z "$mvn" ]; then
        die "building tend needs a JDK 17 or newer (with javac) and Maven; neither was found." \
            "$build_jdk_problem Maven: no mvn on PATH." \
            "On Debian/Ubuntu: sudo apt-get install openjdk-17-jdk maven" \
            "Or install a tend that is already built: ./install.sh --no-build"
    elif [ -z "$build_jdk" ]; then
        die "building tend needs a JDK 17 or newer (with javac); none was found." \
            "$build_jdk_problem" \
            "On Debian/Ubuntu: sudo apt-get install openjdk-17-jdk" \
            "Or point JAVA_HOME at a JDK 17+ (or add it to TEND_JVM_DIRS)."
    elif [ -z "$mvn" ]; then
        die "building tend needs Maven (3.6.3 or newer); no mvn on PATH." \
            "On Debian/Ubuntu: sudo apt-get install maven" \
            "Or set MVN=/path/to/mvn."
    fi
}

build() {
    check_build_tools
    if [ "$goal" = verify ]; then
        set -- -B -q verify
    else
        set -- -B -q -DskipTests package
    fi
    if [ "$(id -u)" = 0 ] && [ "$(stat -c %u -- "$srcdir")" != 0 ]; then
        warn "building as root leaves root-owned files in $build_dir; next time consider" \
            "building as yourself and installing with: sudo ./install.sh --no-build"
    fi
    say "Building tend: $mvn $* (JDK: $build_jdk)"
    say "  (the first build downloads Maven plugins and libraries; this can take a few minutes)"
    # copy-dependencies only adds jars: start from an empty lib/ so that libraries dropped or
    # upgraded since the last build are not installed.
    rm -rf -- "${build_dir:?}/lib"
    (cd -- "$srcdir" && JAVA_HOME=$build_jdk "$mvn" "$@") ||
        die "the Maven build failed (see its output above)."
}

# ---- install -------------------------------------------------------------------------------

# The files to install, one per line: mode, destination relative to the prefix, source path.
list_files() {
    printf '755 bin/tend %s\n' "$srcdir/cli/src/main/launcher/tend"
    printf '644 lib/tend/tend.jar %s\n' "$build_dir/tend.jar"
    for jar in "$build_dir"/lib/*.jar; do
        [ -f "$jar" ] && printf '644 lib/tend/lib/%s %s\n' "${jar##*/}" "$jar"
    done
    # What the launcher prints without a JVM (--version, the help pages): after the jar, since it takes a text
    # only if it is not older than the jar.
    for file in "$build_dir"/text/version "$build_dir"/text/help/*; do
        [ -f "$file" ] && printf '644 lib/tend/%s %s\n' "${file#"$build_dir"/}" "$file"
    done
    optional share/bash-completion/completions/tend "$srcdir/completions/tend.bash"
    optional share/zsh/site-functions/_tend "$srcdir/completions/_tend"
    optional share/fish/vendor_completions.d/tend.fish "$srcdir/completions/tend.fish"
    optional share/man/man1/tend.1 "$srcdir/docs/man/tend.1"
    optional share/man/man5/tend.toml.5 "$srcdir/docs/man/tend.toml.5"
    # The documentation that `tend help` and the man pages point to.
    for doc in "$srcdir"/docs/*.md; do
        [ -f "$doc" ] && printf '644 share/doc/tend/%s %s\n' "${doc##*/}" "$doc"
    done
    # The client libraries (docs/php.md, docs/python.md): sources only, no caches.
    for file in "$srcdir"/clients/php/composer.json "$srcdir"/clients/php/src/*.php "$srcdir"/clients/python/tend_state/*.py; do
        [ -f "$file" ] || continue
        rel=${file#"$srcdir"/clients/}
        printf '644 share/tend/%s %s\n' "$rel" "$file"
    done
}

optional() {
    if [ -f "$2" ]; then
        printf '644 %s %s\n' "$1" "$2"
    fi
}

check_built() {
    [ -f "$build_dir/tend.jar" ] ||
        die "$build_dir/tend.jar does not exist: build first (./install.sh without --no-build, or mvn -B -q -DskipTests package)."
    set -- "$build_dir"/lib/*.jar
    [ -f "$1" ] || die "$build_dir/lib/ has no jars: build first (mvn -B -q -DskipTests package)."
    for jar in "$@"; do
        case ${jar##*/} in
            *[[:space:]]*) die "jar names with white space are not supported: $jar" ;;
        esac
    done
}

# Fails early, before a long build, when the prefix cannot be written.
check_prefix_writable() {
    dir=$prefix
    while [ ! -e "$dir" ]; do
        dir=${dir%/*}
        [ -n "$dir" ] || dir=/
    done
    if [ ! -d "$dir" ] || [ ! -w "$dir" ]; then
        if [ "$(id -u)" = 0 ]; then
            die "cannot write to $dir (for --prefix $prefix)."
        fi
        die "cannot write to $dir (for --prefix $prefix)." \
            "Install as root (sudo ./install.sh --no-build after building), or choose another --prefix."
    fi
}

# Manifest lines: "d REL" for a directory install.sh created, "f REL" for a file it installed;
# REL is relative to the prefix ("." is the prefix itself).
read_manifest() {
    old_dirs=
    old_files=
    [ -f "$manifest" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
            '#'* | '') continue ;;
            'd '* | 'f '*) ;;
            *) die "unexpected line in $manifest: $line" ;;
        esac
        rel=${line#? }
        case /$rel/ in
            */../* | //*) die "refusing to use $manifest: unsafe path $rel" ;;
        esac
        case $line in
            d*) old_dirs="$old_dirs$rel
" ;;
            f*) old_files="$old_files$rel
" ;;
        esac
    done <"$manifest"
}

abs() {
    if [ "$1" = . ]; then
        printf '%s' "$prefix"
    else
        printf '%s/%s' "$prefix" "$1"
    fi
}

# ensure_dir REL: create PREFIX/REL and its missing parents (mode 755), recording those created.
ensure_dir() {
    if [ -d "$(abs "$1")" ]; then
        return 0
    fi
    case $1 in
        */*) ensure_dir "${1%/*}" ;;
        .) mkdir -p -- "${prefix%/*}/" ;;
        *) ensure_dir . ;;
    esac
    mkdir -- "$(abs "$1")"
    chmod 755 -- "$(abs "$1")"
    new_dirs="$new_dirs$1
"
}

# install_file SRC MODE REL: copy SRC to PREFIX/REL through a temporary name and rename(2), so
# that a running tend never sees a half-written file.
install_file() {
    dest=$(abs "$3")
    case $3 in
        */*) ensure_dir "${3%/*}" ;;
        *) ensure_dir . ;;
    esac
    tmp=${dest%/*}/.${dest##*/}.install-tmp.$$
    cp -- "$1" "$tmp"
    chmod "$2" -- "$tmp"
    mv -f -- "$tmp" "$dest"
    tmp=
}

do_install() {
    check_built
    read_manifest
    new_dirs=
    files=
    list=$(list_files)
    old_ifs=$IFS
    IFS='
'
    for entry in $list; do
        IFS=$old_ifs
        mode=${entry%% *}
        entry=${entry#* }
        rel=${entry%% *}
        install_file "${entry#* }" "$mode" "$rel"
        files="$files$rel
"
    done
    IFS=$old_ifs

    # Files of the previous install that are not part of this one (an upgraded library, say).
    printf '%s' "$old_files" | while IFS= read -r rel; do
        [ -n "$rel" ] || continue
        if ! printf '%s' "$files" | grep -qxF -- "$rel"; then
            rm -f -- "$(abs "$rel")"
        fi
    done
    # Directories created by an earlier install stay recorded while they exist.
    dirs=$(printf '%s%s' "$old_dirs" "$new_dirs" | while IFS= read -r rel; do
        [ -n "$rel" ] && [ -d "$(abs "$rel")" ] && printf '%s\n' "$rel"
    done | LC_ALL=C sort -u)

    tmp=$manifest.tmp.$$
    {
        say "# Written by tend's install.sh; ./install.sh --prefix $prefix --uninstall removes these."
        say "# d: directory install.sh created (removed when empty); f: file it installed."
        printf '%s\n' "$dirs" | sed -n 's/^./d &/p'
        printf '%s' "$files" | LC_ALL=C sort | sed 's/^/f /'
    } >"$tmp"
    chmod 644 -- "$tmp"
    mv -f -- "$tmp" "$manifest"
    tmp=
}

report_install() {
    n_jars=$(printf '%s' "$files" | grep -c '^lib/tend/lib/' || true)
    say "Installed tend in $prefix:"
    say "  $prefix/bin/tend"
    say "  $prefix/lib/tend/ (tend.jar and $n_jars libraries)"
    extras=
    for rel in share/bash-completion/completions/tend share/zsh/site-functions/_tend \
        share/fish/vendor_completions.d/tend.fish share/man/man1/tend.1 share/man/man5/tend.toml.5; do
        if printf '%s' "$files" | grep -qxF -- "$rel"; then
            say "  $prefix/$rel"
            extras="$extras $rel"
        fi
    done
    if printf '%s' "$files" | grep -q '^share/doc/tend/'; then
        say "  $prefix/share/doc/tend/ (the documentation)"
    fi
    # The training pass: the class-data archive that makes client commands start faster is per user
    # and is otherwise made in the background by the first command; TEND_CDS=0 skips it.
    case ${TEND_CDS:-1} in
        0 | off | false | no) ;;
        *)
            say "  training the class-data archive of $(id -un) for faster start-up (a few seconds)"
            TEND_CDS=train "$prefix/bin/tend" --version >/dev/null ||
                warn "the training pass failed; tend commands will make the archive themselves"
            ;;
    esac
    # TEND_FAST=0: the JVM, not the launcher's copy of the version, proves the installation runs.
    if version=$(TEND_CDS=0 TEND_FAST=0 "$prefix/bin/tend" --version 2>&1); then
        say "  $version"
    else
        warn "tend is installed but \`$prefix/bin/tend --version\` failed:"
        printf '%s\n' "$version" | sed 's/^/    /' >&2
    fi

    on_path=false
    bin_real=$(cd -- "$prefix/bin" && pwd -P)
    old_ifs=$IFS
    IFS=:
    for dir in $PATH; do
        if [ "$dir" = "$prefix/bin" ] ||
            { [ -d "$dir" ] && [ "$(cd -- "$dir" 2>/dev/null && pwd -P)" = "$bin_real" ]; }; then
            on_path=true
        fi
    done
    IFS=$old_ifs
    if ! $on_path; then
        warn "$prefix/bin is not on your PATH, so typing \`tend\` will not find it yet."
        if [ "$prefix" = "${HOME:-}/.local" ] && grep -qs '\.local/bin' "$HOME/.profile"; then
            say "  Your ~/.profile adds ~/.local/bin to PATH at login when it exists: log in again," >&2
            say "  or for this shell run: export PATH=\"\$HOME/.local/bin:\$PATH\"" >&2
        else
            say "  Add it, e.g. to ~/.profile (or your shell's start-up file):" >&2
            say "    export PATH=\"$prefix/bin:\$PATH\"" >&2
        fi
    fi
    case $extras in
        *_tend*)
            case $prefix in
                /usr | /usr/local) ;;
                *) say "  zsh: for completion, put fpath+=($prefix/share/zsh/site-functions) before compinit in ~/.zshrc" ;;
            esac
            ;;
    esac
}

# ---- uninstall -----------------------------------------------------------------------------

do_uninstall() {
    if [ ! -f "$manifest" ]; then
        say "Nothing to uninstall in $prefix: $manifest does not exist."
        return 0
    fi
    read_manifest
    printf '%s' "$old_files" | while IFS= read -r rel; do
        [ -n "$rel" ] || continue
        path=$(abs "$rel")
        if [ -f "$path" ] || [ -L "$path" ]; then
            rm -f -- "$path"
        fi
    done
    rm -f -- "$manifest"
    # Deepest first: in reverse order a directory comes before its parent.
    printf '%s' "$old_dirs" | LC_ALL=C sort -r | while IFS= read -r rel; do
        [ -n "$rel" ] || continue
        rmdir -- "$(abs "$rel")" 2>/dev/null || true
    done
    say "Uninstalled tend from $prefix."
    if [ -d "$prefix/lib/tend" ]; then
        warn "$prefix/lib/tend was left in place: it holds files install.sh did not put there."
    fi
}

# ---- example -------------------------------------------------------------------------------

check_example() {
    example=examples/demo/tend.toml
    [ -f "$srcdir/$example" ] ||
        die "--run-example: $srcdir/$example does not exist in this source tree."
}

run_example() {
    say ""
    say "Running the demo: tend run -c $example -- examples/demo/shop.sh"
    say "(its workers call tend themselves, so $prefix/bin goes first on their PATH; Ctrl-C stops it)"
    say ""
    cd -- "$srcdir"
    PATH="$prefix/bin:$PATH"
    export PATH
    exec "$prefix/bin/tend" run -c "$example" -- examples/demo/shop.sh
}

# ---- main ----------------------------------------------------------------------------------

cleanup() {
    if [ -n "${tmp:-}" ]; then
        rm -f -- "$tmp"
    fi
}

main() {
    tmp=
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    parse_args "$@"
    if [ "$action" = uninstall ]; then
        do_uninstall
        return 0
    fi
    find_source_tree
    if $run_example; then
        check_example
    fi
    check_prefix_writable
    if $build; then
        build
    fi
    do_install
    report_install
    if $run_example; then
        run_example
    fi
}

main "$@"
