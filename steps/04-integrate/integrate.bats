#!/usr/bin/env bats
# Step 4 checks: setup_container_volumes() and cleanup_container_volumes() seen through
# the whole runtime.
#
# $CONTAINER is the runtime built from YOUR steps/04-integrate/integrate.cpp and the
# reference code of the other steps (the grader sets it). Each check looks at the host
# side (the sources in the sandbox's $HOST, and the test's own mount table, which stands
# for the host's) and at the container side (what the command inside sees). The image
# ($ROOTFS) is never modified: each container has a writable layer of its own over it.
# A "# hint: N" line names the hint of hints.md to read when the check below it fails.
#
# Run by hand (as root): common/tools/in-namespace bats steps/04-integrate/integrate.bats
# (`make grade STEP=04-integrate` does it for you).

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/outer" "$HOST/inner"
    echo "outer file" >"$HOST/outer/outer.txt"
    echo "inner file" >"$HOST/inner/inner.txt"
}
teardown() { sandbox_teardown; }

# hint: 1
@test "nested volumes given child first are both seen at their places" {
    container_run -v "$HOST/inner:/d/in" -v "$HOST/outer:/d" "$ROOTFS" \
        sh -c 'cat /d/outer.txt; cat /d/in/inner.txt'
    assert_success
    [ "$output" = "outer file
inner file" ] || fail \
        "expected: /d to show $HOST/outer and /d/in to show $HOST/inner" \
        "happened: it does not: mounting /d after /d/in hides /d/in; mount parents first," \
        "whatever the order on the command line" "$(_last_run)"
}

# hint: 5
@test "after a nested run nothing is left in the image, nor in the outer volume's source" {
    container_run -v "$HOST/outer:/d" -v "$HOST/inner:/d/in" "$ROOTFS" ls /d
    assert_success
    [ -z "$stderr" ] || fail "expected: the cleanup to report nothing on stderr" \
        "happened: it did (unmounting /d before /d/in fails with EBUSY: clean up in the reverse" \
        "of the mounting order)" \
        "$(_last_run)"
    assert_output "in
outer.txt"
    # The mount point /d/in was created inside the outer volume, that is in $HOST/outer.
    [ ! -e "$HOST/outer/in" ] || fail \
        "expected: the mount point /d/in, created in the outer volume's source, to be removed" \
        "happened: $HOST/outer/in is still there"
    assert_file_content "$HOST/outer/outer.txt" "outer file"
    assert_file_content "$HOST/inner/inner.txt" "inner file"
    assert_tree_unchanged
    assert_mounts_unchanged
}

# hint: 2
@test "when a volume fails, those already mounted are undone and nothing is left behind" {
    # Parents first: /first, then /first/nested (its mount point made in $HOST/outer), then
    # the --mount, which fails: both must be undone, newest first.
    container_run --mount "type=bind,source=$HOST/missing,target=/first/nested/third" \
        -v "$HOST/outer:/first" -v "$HOST/inner:/first/nested" "$ROOTFS" echo ran
    assert_status 125
    # The original error, not a follow-up of the rollback, and the command never ran.
    assert_one_error_line "source path does not exist: $HOST/missing"
    assert_output ""
    [ ! -e "$HOST/outer/nested" ] || fail \
        "expected: the rollback to remove the mount point /first/nested it created in $HOST/outer" \
        "happened: it is still there"
    assert_file_content "$HOST/outer/outer.txt" "outer file"
    assert_tree_unchanged
    assert_mounts_unchanged
}

# hint: 4
@test "a read-only volume refuses writes in the container, in its submounts too" {
    mkdir "$HOST/outer/sub"
    sandbox_mount -t tmpfs tmpfs "$HOST/outer/sub"
    echo "sub file" >"$HOST/outer/sub/sub.txt"
    container_run -v "$HOST/outer:/ro:ro" "$ROOTFS" sh -c '
        cat /ro/outer.txt /ro/sub/sub.txt
        echo changed > /ro/outer.txt 2>/dev/null && echo "wrote /ro/outer.txt"
        echo changed > /ro/sub/sub.txt 2>/dev/null && echo "wrote /ro/sub/sub.txt"
        touch /ro/new 2>/dev/null && echo "created /ro/new"
        exit 0'
    assert_success
    [ "$output" = "outer file
sub file" ] || fail \
        "expected: the container to read both files and every write to fail (a bind ignores" \
        "  MS_RDONLY, and a remount changes only the top mount: use make_read_only())" \
        "happened:" "$(_last_run)"
    # Host side: nothing changed, and the host's own view stays writable.
    assert_file_content "$HOST/outer/outer.txt" "outer file"
    assert_file_content "$HOST/outer/sub/sub.txt" "sub file"
    assert_not_exists "$HOST/outer/new"
    touch "$HOST/outer/host-can-write" ||
        fail "happened: the host's side of the volume became read-only"
}

# hint: 4
@test "a read-write volume inside a read-only one is created and stays writable" {
    container_run -v "$HOST/inner:/top/rw" -v "$HOST/outer:/top:ro" "$ROOTFS" sh -c '
        echo "from inside" > /top/rw/new.txt && echo "wrote /top/rw"
        touch /top/x 2>/dev/null && echo "wrote /top"
        exit 0'
    assert_success
    [ "$output" = "wrote /top/rw" ] || fail \
        "expected: /top/rw to be writable and /top read-only (the mount point /top/rw must be" \
        "  created before /top turns read-only: read-only comes after every volume is mounted)" \
        "happened:" "$(_last_run)"
    assert_file_content "$HOST/inner/new.txt" "from inside"
    assert_not_exists "$HOST/outer/x"
}

# hint: 1
@test "no volume shows in the host's mount namespace while the container runs" {
    make_fifo "$HOST/outer/ready" "$HOST/outer/go"
    container_start -v "$HOST/outer:/d" -v "$HOST/inner:/d/in:ro" "$ROOTFS" sh -c '
        awk "\$5 == \"/d\" || \$5 == \"/d/in\" { print \$5 }" /proc/self/mountinfo
        echo up > /d/ready
        read line < /d/go'
    read_fifo "$HOST/outer/ready" >/dev/null
    # The container runs with its volumes mounted: the host side must see none of them.
    assert_mounts_unchanged
    write_fifo "$HOST/outer/go" "go"
    container_wait
    assert_success
    # The container side saw both, in its own namespace.
    assert_output "/d
/d/in"
    assert_tree_unchanged
}
