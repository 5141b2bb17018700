#!/usr/bin/env bats
# common/tools/cleanup-mounts, the troubleshooting page's clean-up command: it lists the
# mounts left under /tmp and the repository, detaches them only with --yes, and never
# deletes a file.
#
#   bats tests/docs/cleanup-mounts.bats     (as root: each test mounts in a private
#                                            namespace of its own, so nothing reaches the host)

bats_require_minimum_version 1.5.0

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
TOOL=$REPO_ROOT/common/tools/cleanup-mounts

setup() {
    [ "$(id -u)" -eq 0 ] || skip "needs root (it mounts)"
    command -v unshare >/dev/null || skip "needs unshare (util-linux)"
    # Under /tmp whatever TMPDIR says: that is where the tool looks.
    WORK=$(mktemp -d "/tmp/cleanup mounts.XXXXXX")
    mkdir "$WORK/src" "$WORK/dst" "$WORK/stacked"
    echo precious >"$WORK/src/file"
}

teardown() {
    [ -n "${WORK:-}" ] || return 0
    # The mounts lived in the test's own namespace and are gone with it; remove only what
    # setup made, and nothing if something is somehow still mounted there.
    if ! grep -q -F "$(printf '%s' "$WORK" | sed 's/ /\\040/g')" /proc/self/mountinfo; then
        rm -f "$WORK/src/file"
        rmdir "$WORK/src" "$WORK/dst" "$WORK/stacked" "$WORK"
    fi
}

# fail, assert_success, assert_output, ...: Debian's bats-support and bats-assert.
bats_load_library bats-support
bats_load_library bats-assert

# in_private_namespace SCRIPT: runs SCRIPT with bash in a new mount namespace whose mounts
# are all private, with WORK, TOOL and OUTSIDE set; prints what it printed.
in_private_namespace() {
    WORK=$WORK TOOL=$TOOL OUTSIDE=${OUTSIDE:-} unshare -m --propagation private bash -c "set -e; $1"
}

@test "without --yes it lists the leftovers and changes nothing" {
    run in_private_namespace '
        mount --bind "$WORK/src" "$WORK/dst"
        "$TOOL"
        echo "---"
        findmnt -n -o TARGET "$WORK/dst"'
    [ "$status" -eq 0 ] || fail "$output"
    [[ "$output" == *"  $WORK/dst"* ]] || fail "the leftover is not listed:" "$output"
    [[ "$output" == *"Dry run: nothing was changed"* ]] || fail "$output"
    [[ "$output" == *"---"*"$WORK/dst"* ]] || fail "the dry run unmounted:" "$output"
}

@test "--yes detaches every leftover, stacked and nested ones too, and deletes no file" {
    run in_private_namespace '
        mount --bind "$WORK/src" "$WORK/dst"
        mount -t tmpfs nested "$WORK/dst"
        mount --bind "$WORK/src" "$WORK/stacked"
        mount --bind "$WORK/src" "$WORK/stacked"
        "$TOOL" --yes --force
        echo "---"
        grep -F "$(printf "%s" "$WORK" | sed "s/ /\\\\040/g")" /proc/self/mountinfo || echo "no mount left"'
    [ "$status" -eq 0 ] || fail "$output"
    [[ "$output" == *"---"*"no mount left"* ]] || fail "mounts are left:" "$output"
    [ "$(cat "$WORK/src/file")" = precious ] || fail "the source's file is gone"
    [ -d "$WORK/dst" ] && [ -d "$WORK/stacked" ] || fail "a mount point was deleted"
}

@test "it leaves mounts outside /tmp and the repository alone" {
    OUTSIDE=$(mktemp -d /var/tmp/cleanup-outside.XXXXXX)
    run in_private_namespace '
        mount -t tmpfs outside "$OUTSIDE"
        mount --bind "$WORK/src" "$WORK/dst"
        "$TOOL" --yes --force
        echo "---"
        findmnt -n -o TARGET "$OUTSIDE"'
    rmdir "$OUTSIDE"
    [ "$status" -eq 0 ] || fail "$output"
    [[ "$output" == *"---"*"$OUTSIDE"* ]] || fail "a mount outside /tmp and the repo was detached:" "$output"
}

@test "it refuses to act while a container is running, unless --force" {
    # A process whose name starts with "container", like the runtime's.
    cp "$(command -v sleep)" "$WORK/container-fake"
    "$WORK/container-fake" 30 &
    local pid=$!
    run in_private_namespace '
        mount --bind "$WORK/src" "$WORK/dst"
        "$TOOL" --yes && exit 3
        findmnt -n -o TARGET "$WORK/dst"'
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -f "$WORK/container-fake"
    [ "$status" -eq 0 ] || fail "it acted, or failed otherwise:" "$output"
    [[ "$output" == *"a container is still running"* ]] || fail "$output"
    [[ "$output" == *"$WORK/dst" ]] || fail "the mount was detached anyway:" "$output"
}

@test "it needs root to act, and says so" {
    command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$TOOL" ||
        skip "user nobody cannot reach $TOOL"
    # setsid: no terminal, where sudo could ask nobody for a password.
    run in_private_namespace '
        mount --bind "$WORK/src" "$WORK/dst"
        setsid -w setpriv --reuid=65534 --regid=65534 --clear-groups "$TOOL" --yes --force 2>&1 || echo "exit $?"'
    [[ "$output" == *"unmounting needs root"* ]] || fail "$output"
    [[ "$output" == *"exit 1"* ]] || fail "$output"
}

@test "it never detaches the mount the repository is on, nor the repository itself" {
    run in_private_namespace '
        mount -t tmpfs holder "$WORK/dst"
        repo=$WORK/dst/repo
        mkdir -p "$repo/common/tools" "$repo/images/busybox"
        cp "$TOOL" "${TOOL%/*}/mountinfo.py" "$repo/common/tools/"
        mount --bind "$repo" "$repo"
        mount -t tmpfs leftover "$repo/images/busybox"
        "$repo/common/tools/cleanup-mounts" --yes --force
        echo "---"
        findmnt -n -o TARGET "$WORK/dst"; findmnt -n -o TARGET "$repo"
        findmnt -n -o TARGET "$repo/images/busybox" || echo "leftover detached"'
    [ "$status" -eq 0 ] || fail "$output"
    local after=${output#*---}
    [[ "$after" == *"$WORK/dst"$'\n'"$WORK/dst/repo"$'\n'"leftover detached"* ]] ||
        fail "expected the holder and the repository mounted, the leftover gone:" "$output"
}
