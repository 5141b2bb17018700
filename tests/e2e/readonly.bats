#!/usr/bin/env bats
# Read-only volumes: :ro and --mount ...,readonly refuse writes, all the way down
# (submounts of the source included), while a read-write volume nested inside stays
# writable, and the host's side stays writable.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/shared"
    echo "original" >"$HOST/shared/file"
}
teardown() { sandbox_teardown; }

# The mount point of a volume nested in a read-only one is made in the outer volume's
# source (on the host) before the read-only remount; afterwards that volume is read-only,
# so the runtime may leave the mount point there (as Docker does), but only as the empty
# directory it made.
assert_empty_mount_point_left() {
    [ -e "$1" ] || return 0
    [ -d "$1" ] && [ -z "$(ls -A "$1")" ] ||
        fail "Expected $1 to be gone, or the empty directory the runtime made: $(ls -la "$1")"
}

# refuses_writes SPEC_OPTION SPEC: in the container, /data/file reads "original", and
# writing to it, creating a file and removing one are all refused.
refuses_writes() {
    container_run "$@" "$ROOTFS" sh -c '
        cat /data/file
        echo changed > /data/file && echo "wrote the file"
        touch /data/new && echo "created a file"
        rm /data/file && echo "removed a file"
        mkdir /data/dir && echo "made a directory"
        exit 0'
    assert_success
    assert_output "original"
    assert_stderr_contains "Read-only file system"
    assert_file_content "$HOST/shared/file" "original"
    assert_not_exists "$HOST/shared/new"
    assert_not_exists "$HOST/shared/dir"
}

@test ":ro volume: reading works, every kind of write is refused" {
    refuses_writes -v "$HOST/shared:/data:ro"
    assert_tree_unchanged
}

@test "--mount ...,readonly: writes are refused" {
    refuses_writes --mount "type=bind,source=$HOST/shared,target=/data,readonly"
}

@test "--mount ...,ro and readonly=true: writes are refused" {
    refuses_writes --mount "type=bind,source=$HOST/shared,target=/data,ro"
    refuses_writes --mount "type=bind,source=$HOST/shared,target=/data,readonly=true"
}

@test ":rw and readonly=false volumes are writable" {
    container_run -v "$HOST/shared:/data:rw" "$ROOTFS" sh -c 'echo rw > /data/file'
    assert_success
    assert_file_content "$HOST/shared/file" "rw"
    container_run --mount "type=bind,source=$HOST/shared,target=/data,readonly=false" "$ROOTFS" \
        sh -c 'echo readonly-false > /data/file'
    assert_success
    assert_file_content "$HOST/shared/file" "readonly-false"
}

@test ":ro is enforced through a submount of the source too (recursive read-only)" {
    mkdir "$HOST/shared/sub"
    sandbox_mount -t tmpfs tmpfs "$HOST/shared/sub"
    echo "on the submount" >"$HOST/shared/sub/file"
    container_run -v "$HOST/shared:/data:ro" "$ROOTFS" sh -c '
        cat /data/sub/file
        echo changed > /data/sub/file && echo "wrote into the submount"
        touch /data/sub/new && echo "created a file in the submount"
        exit 0'
    assert_success
    assert_output "on the submount"
    assert_stderr_contains "Read-only file system"
    assert_file_content "$HOST/shared/sub/file" "on the submount"
    assert_not_exists "$HOST/shared/sub/new"
}

@test "a read-only single-file volume refuses writes" {
    echo "config" >"$HOST/app.conf"
    container_run -v "$HOST/app.conf:/etc/app.conf:ro" "$ROOTFS" sh -c '
        cat /etc/app.conf
        echo changed > /etc/app.conf && echo "wrote the file"
        exit 0'
    assert_success
    assert_output "config"
    assert_stderr_contains "Read-only file system"
    assert_file_content "$HOST/app.conf" "config"
    assert_tree_unchanged
}

# writable_inside_read_only VOLUME_OPTIONS...: with a read-write /d/in inside a read-only /d
# (given in any order), the inner volume takes writes and the outer one refuses them.
writable_inside_read_only() {
    mkdir "$HOST/inner"
    container_run "$@" "$ROOTFS" sh -c '
        echo inner > /d/in/file && echo "wrote the inner volume"
        touch /d/outer-new && echo "wrote the outer volume"
        exit 0'
    assert_success
    assert_output "wrote the inner volume"
    assert_stderr_contains "Read-only file system"
    assert_file_content "$HOST/inner/file" "inner"
    assert_not_exists "$HOST/shared/outer-new"
    assert_empty_mount_point_left "$HOST/shared/in"
    assert_tree_unchanged
}

@test "a read-write volume nested under a read-only one stays writable" {
    writable_inside_read_only -v "$HOST/shared:/d:ro" -v "$HOST/inner:/d/in"
}

@test "the same, given child first on the command line" {
    writable_inside_read_only -v "$HOST/inner:/d/in" -v "$HOST/shared:/d:ro"
}

@test "a read-only volume nested under a read-write one is read-only, the outer one is not" {
    mkdir "$HOST/inner"
    echo "inner original" >"$HOST/inner/file"
    container_run -v "$HOST/shared:/d" -v "$HOST/inner:/d/in:ro" "$ROOTFS" sh -c '
        echo outer > /d/file && echo "wrote the outer volume"
        echo changed > /d/in/file && echo "wrote the inner volume"
        exit 0'
    assert_success
    assert_output "wrote the outer volume"
    assert_file_content "$HOST/shared/file" "outer"
    assert_file_content "$HOST/inner/file" "inner original"
}

@test "a read-only volume leaves the host's side writable" {
    container_run -v "$HOST/shared:/data:ro" "$ROOTFS" cat /data/file
    assert_success
    echo "written on the host" >"$HOST/shared/file" ||
        fail "The host could not write to the source after a read-only run."
    assert_file_content "$HOST/shared/file" "written on the host"
}

@test "the image is not made read-only by a read-only volume" {
    container_run -v "$HOST/shared:/data:ro" "$ROOTFS" sh -c 'echo scratch > /tmp/scratch && cat /tmp/scratch && rm /tmp/scratch'
    assert_success
    assert_output "scratch"
    assert_tree_unchanged
}
