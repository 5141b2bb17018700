#!/usr/bin/env bats
# Step 05 (reference): checks of the volume scenario, from the outside, that pass on a
# correct runtime and catch each of the faulty runtimes of steps/05-test/faults/.
#
# Run them as the grader does (`make grade STEP=05-test FROM=solutions`), or by hand in a
# throwaway mount namespace:
#   CONTAINER=$PWD/bin/container common/tools/in-namespace bats solutions/05-test/volumes.bats

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

@test "a file written on the host is read in the container" {
    echo "written on the host" >"$HOST/greeting.txt"

    container_run -v "$HOST:/data" "$ROOTFS" cat /data/greeting.txt

    assert_success
    assert_output "written on the host"
}

@test "a file made in the container is seen on the host" {
    container_run -v "$HOST:/data" "$ROOTFS" sh -c 'echo "made in the container" >/data/new.txt'

    assert_success
    assert_file_content "$HOST/new.txt" "made in the container"
}

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

@test "the host's files are all still there after the container exits" {
    echo "keep me" >"$HOST/keep.txt"
    mkdir "$HOST/dir"
    echo "me too" >"$HOST/dir/nested.txt"

    container_run -v "$HOST:/data" "$ROOTFS" ls -R /data

    assert_success
    assert_file_content "$HOST/keep.txt" "keep me"
    assert_file_content "$HOST/dir/nested.txt" "me too"
}

@test "a file system mounted below the source is seen in the container" {
    mkdir "$HOST/below"
    sandbox_mount -t tmpfs below-the-source "$HOST/below"
    echo "on the submount" >"$HOST/below/file.txt"

    container_run -v "$HOST:/data" "$ROOTFS" cat /data/below/file.txt

    assert_success
    assert_output "on the submount"
}

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

@test "a read-only volume cannot be written from the container, but can be read" {
    echo "read me" >"$HOST/existing.txt"

    container_run -v "$HOST:/data:ro" "$ROOTFS" sh -c 'cat /data/existing.txt; echo x >/data/attempt.txt'

    assert_failure
    assert_output "read me"
    assert_not_exists "$HOST/attempt.txt"
}

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
