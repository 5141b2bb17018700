#!/usr/bin/env bats
# Step 05 (reference): checks of the volume scenario, from the outside, that pass on a
# correct runtime and catch each of the faulty runtimes of steps/05-test/faults/faults.txt.
#
# "# catches: NAME, ..." above a check names the faulty runtimes it catches, and the
# grader's self-check proves that exactly those checks catch each of them: every fault
# needs its own observation, so that leaving any one check out lets a fault through.
# The first check catches none on purpose: every faulty runtime must still do the basic
# scenario right, or any check at all would catch it.
#
# Run them as the grader does (`make grade STEP=05-test FROM=solutions`), or by hand in a
# throwaway mount namespace:
#   CONTAINER=$PWD/bin/container common/tools/in-namespace bats solutions/05-test/volumes.bats

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

# catches: none (the basic scenario: every faulty runtime must pass it)
@test "a file written on the host is read in the container" {
    echo "written on the host" >"$HOST/greeting.txt"

    container_run -v "$HOST:/data" "$ROOTFS" cat /data/greeting.txt

    assert_success
    assert_output "written on the host"
}

# catches: no-container-files
@test "a file made in the container is seen on the host" {
    container_run -v "$HOST:/data" "$ROOTFS" sh -c 'echo "made in the container" >/data/new.txt'

    assert_success
    assert_file_content "$HOST/new.txt" "made in the container"
}

# catches: no-unmount, keeps-mount-point
@test "afterwards nothing is left mounted, nor anything the runtime made" {
    # A volume inside another one: its mount point and that one's missing parents are made
    # in the outer volume's source, on the host. The runtime must remove them again.
    mkdir "$HOST/outer" "$HOST/inner"
    snapshot_dir "$HOST/outer"

    container_run -v "$HOST/outer:/data" -v "$HOST/inner:/data/made/for/inner" "$ROOTFS" \
        ls /data/made/for/inner

    assert_success
    assert_mounts_unchanged
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged
}

# catches: deletes-source
@test "the host's files are all still there after the container exits" {
    echo "keep me" >"$HOST/keep.txt"
    mkdir "$HOST/dir"
    echo "me too" >"$HOST/dir/nested.txt"

    container_run -v "$HOST:/data" "$ROOTFS" ls -R /data

    assert_success
    assert_file_content "$HOST/keep.txt" "keep me"
    assert_file_content "$HOST/dir/nested.txt" "me too"
}

# catches: no-recursive-bind
@test "a file system mounted below the source is seen in the container" {
    mkdir "$HOST/below"
    sandbox_mount -t tmpfs below-the-source "$HOST/below"
    echo "on the submount" >"$HOST/below/file.txt"

    container_run -v "$HOST:/data" "$ROOTFS" cat /data/below/file.txt

    assert_success
    assert_output "on the submount"
}

# catches: wrong-mode, source-mode-umask
@test "directories the runtime creates get mode 755 even under umask 077" {
    umask 077

    # A missing source is created (with its missing parent), and so are the mount point
    # and its parents, in the container's own layer over the image: the container sees
    # them while it runs.
    container_run -v "$HOST/new/source:/made/for/data" "$ROOTFS" stat -c %a /made /made/for

    assert_success
    assert_output "$(printf '755\n755')"
    assert_mode "$HOST/new" 755
    assert_mode "$HOST/new/source" 755
}

# catches: read-only-ignored
@test "a read-only volume cannot be written from the container, but can be read" {
    echo "read me" >"$HOST/existing.txt"

    container_run -v "$HOST:/data:ro" "$ROOTFS" sh -c 'cat /data/existing.txt; echo x >/data/attempt.txt'

    assert_failure
    assert_output "read me"
    assert_not_exists "$HOST/attempt.txt"
}

# catches: leaks-to-host
@test "while the container runs, its mounts do not appear on the host" {
    make_fifo "$HOST/running" "$HOST/finish"

    container_start -v "$HOST:/data" "$ROOTFS" sh -c 'echo up >/data/running; read line </data/finish'
    read_fifo "$HOST/running"
    # The container is running, its volume mounted: the host must not see any of it.
    assert_mounts_unchanged
    write_fifo "$HOST/finish" "done"
    container_wait

    assert_success
}

# The checks below go beyond the guide's list: a volume must get these right too.

# catches: file-as-directory
@test "a file can be a volume, on a mount point the runtime creates" {
    echo "a single file" >"$HOST/config.txt"

    container_run -v "$HOST/config.txt:/made/config.txt" "$ROOTFS" cat /made/config.txt

    assert_success
    assert_output "a single file"
}

# catches: symlink-source
@test "a source given through a symlink is the directory it leads to" {
    mkdir "$HOST/real"
    echo "behind the link" >"$HOST/real/file.txt"
    ln -s real "$HOST/link"

    container_run -v "$HOST/link:/data" "$ROOTFS" cat /data/file.txt

    assert_success
    assert_output "behind the link"
}

# catches: nested-given-first
@test "a volume nested in another one is seen, whatever the order they are given in" {
    mkdir "$HOST/outer" "$HOST/inner"
    echo "outer" >"$HOST/outer/outer.txt"
    echo "inner" >"$HOST/inner/inner.txt"

    container_run -v "$HOST/inner:/data/inner" -v "$HOST/outer:/data" "$ROOTFS" \
        cat /data/outer.txt /data/inner/inner.txt

    assert_success
    assert_output "$(printf 'outer\ninner')"
}

# catches: removes-recursively
@test "what the container puts beside a nested volume's mount point stays on the host" {
    mkdir "$HOST/outer" "$HOST/inner"

    container_run -v "$HOST/outer:/data" -v "$HOST/inner:/data/made/for/inner" "$ROOTFS" \
        sh -c 'echo "kept" >/data/made/note.txt'

    assert_success
    # The runtime made made/for/inner there, and must remove only what is still empty.
    assert_file_content "$HOST/outer/made/note.txt" "kept"
}

# catches: read-only-too-early
@test "a volume nested in a read-only one is mounted all the same" {
    mkdir "$HOST/outer" "$HOST/inner"
    echo "inside" >"$HOST/inner/file.txt"

    # Its mount point is made in the outer volume's source before that becomes read-only.
    container_run -v "$HOST/outer:/data:ro" -v "$HOST/inner:/data/inner" "$ROOTFS" \
        cat /data/inner/file.txt

    assert_success
    assert_output "inside"
}

# catches: failed-volume-leftovers
@test "a volume that cannot be mounted leaves nothing behind on the host" {
    snapshot_dir "$HOST"

    # /bin/sh is a file: no mount point can be made below it.
    container_run -v "$HOST/new/source:/bin/sh/data" "$ROOTFS" true

    assert_failure
    assert_dir_unchanged "$HOST"
    assert_mounts_unchanged
}
