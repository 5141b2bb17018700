#!/usr/bin/env bats
# The whole runtime: the exercise's scenario against $CONTAINER, the runtime built from
# YOUR code of every step alone (`make grade STEP=full`; it builds container-student).
# When one of these fails, grade each step on its own to find the one that breaks it.
#
# Run by hand (as root): common/tools/in-namespace bats steps/full/scenario.bats

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

@test "a file written on the host is read in the container" {
    echo "written on the host" >"$HOST/greeting.txt"
    container_run -v "$HOST:/volume" "$ROOTFS" cat /volume/greeting.txt
    assert_success
    assert_output "written on the host"
}

@test "a file made in the container is seen on the host" {
    container_run -v "$HOST:/volume" "$ROOTFS" sh -c 'echo "made in the container" >/volume/new.txt'
    assert_success
    assert_file_content "$HOST/new.txt" "made in the container"
}

@test "nothing is left mounted, nor anything the runtime made" {
    # A volume nested in another: its mount point (and that one's parents) is made in the
    # outer volume's source on the host, not in the container's own layer over the image.
    mkdir "$HOST/outer" "$HOST/inner"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/volume" -v "$HOST/inner:/volume/deep/inside" "$ROOTFS" \
        ls /volume/deep/inside
    assert_success
    [ -z "$stderr" ] || fail "expected: nothing on stderr (a cleanup that fails says so there)" \
        "happened:" "$(_last_run)"
    assert_mounts_unchanged
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged
}
