#!/usr/bin/env bats
# Several volumes: applied parents first whatever their order on the command line,
# mount points made inside another volume removed again, siblings independent.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    local name
    for name in outer middle inner; do
        mkdir "$HOST/$name"
        echo "$name" >"$HOST/$name/name"
    done
}
teardown() { sandbox_teardown; }

@test "nested volumes given child first: each is seen at its place" {
    container_run -v "$HOST/inner:/d/in" -v "$HOST/outer:/d" "$ROOTFS" \
        sh -c 'cat /d/name /d/in/name; echo new > /d/in/new'
    assert_success
    assert_output "outer
inner"
    assert_file_content "$HOST/inner/new" "new"
    assert_not_exists "$HOST/outer/new"
}

@test "nested volumes given parent first work the same" {
    container_run -v "$HOST/outer:/d" -v "$HOST/inner:/d/in" "$ROOTFS" cat /d/name /d/in/name
    assert_success
    assert_output "outer
inner"
}

@test "three levels in any order" {
    local order
    for order in "1 2 3" "3 2 1" "2 3 1" "3 1 2"; do
        local options=()
        for level in $order; do
            case $level in
                1) options+=(-v "$HOST/outer:/a") ;;
                2) options+=(-v "$HOST/middle:/a/b") ;;
                3) options+=(-v "$HOST/inner:/a/b/c") ;;
            esac
        done
        container_run "${options[@]}" "$ROOTFS" cat /a/name /a/b/name /a/b/c/name
        assert_success
        assert_output "outer
middle
inner"
    done
    assert_tree_unchanged
}

@test "a mount point made inside another volume's source is removed afterwards" {
    container_run -v "$HOST/inner:/d/in/deeper" -v "$HOST/outer:/d" "$ROOTFS" cat /d/in/deeper/name
    assert_success
    assert_output "inner"
    assert_not_exists "$HOST/outer/in"
    assert_tree_unchanged
}

@test "a directory that already existed in the outer source is kept" {
    mkdir -m 0700 "$HOST/outer/in"
    echo "kept" >"$HOST/outer/in/hidden-by-the-inner-volume"
    container_run -v "$HOST/outer:/d" -v "$HOST/inner:/d/in" "$ROOTFS" ls /d/in
    assert_success
    assert_output "name"
    assert_mode "$HOST/outer/in" 700
    assert_file_content "$HOST/outer/in/hidden-by-the-inner-volume" "kept"
}

@test "a single-file volume inside a directory volume" {
    echo "single" >"$HOST/single.txt"
    container_run -v "$HOST/single.txt:/d/single.txt" -v "$HOST/outer:/d" "$ROOTFS" \
        sh -c 'cat /d/single.txt; echo more >> /d/single.txt'
    assert_success
    assert_output "single"
    assert_file_content "$HOST/single.txt" "single
more"
    assert_not_exists "$HOST/outer/single.txt"
}

@test "sibling volumes are independent" {
    container_run -v "$HOST/outer:/x" -v "$HOST/inner:/y" "$ROOTFS" \
        sh -c 'cat /x/name /y/name; echo to-x > /x/w; echo to-y > /y/w'
    assert_success
    assert_output "outer
inner"
    assert_file_content "$HOST/outer/w" "to-x"
    assert_file_content "$HOST/inner/w" "to-y"
    assert_tree_unchanged
}

@test "a destination that is a prefix but not a parent (/d and /dd) is not nested" {
    container_run -v "$HOST/inner:/dd" -v "$HOST/outer:/d" "$ROOTFS" cat /d/name /dd/name
    assert_success
    assert_output "outer
inner"
    assert_not_exists "$HOST/outer/d"
    assert_tree_unchanged
}

@test "a destination reached through a symlink of the image is mounted there and cleaned up" {
    # Images often hold such links (/var/run -> /run): the volume lands where the link
    # leads, and the cleanup, which never follows a symlink, must still find it.
    mkdir -p "$ROOTFS/run" "$ROOTFS/var" "$HOST/outer"
    ln -s /run "$ROOTFS/var/run"
    snapshot_tree
    echo "through the link" >"$HOST/outer/file.txt"
    container_run -v "$HOST/outer:/var/run" "$ROOTFS" \
        sh -c 'cat /var/run/file.txt && grep -c " /run " /proc/self/mountinfo'
    assert_success
    assert_output "through the link
1"
    [ -z "$stderr" ] || fail "Expected no warning from the cleanup; stderr was: $stderr"
    assert_tree_unchanged
    assert_mounts_unchanged
}
