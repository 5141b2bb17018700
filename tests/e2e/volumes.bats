#!/usr/bin/env bats
# Volumes, both directions: directories and single files, -v and --mount, how a missing
# source is created, symlinked sources, submounts, and where mount points come from.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

@test "a file written on the host is read in the container (directory volume)" {
    mkdir "$HOST/shared"
    echo "hello from the host" >"$HOST/shared/from-host.txt"
    container_run -v "$HOST/shared:/data" "$ROOTFS" cat /data/from-host.txt
    assert_success
    assert_output "hello from the host"
}

@test "a file written in the container appears on the host (directory volume)" {
    mkdir "$HOST/shared"
    container_run -v "$HOST/shared:/data" "$ROOTFS" \
        sh -c 'echo "hello from the container" > /data/from-container.txt'
    assert_success
    assert_file_content "$HOST/shared/from-container.txt" "hello from the container"
    assert_tree_unchanged
}

@test "the container sees its volume as a mount at the destination, the host does not" {
    mkdir "$HOST/shared"
    container_run -v "$HOST/shared:/data" "$ROOTFS" sh -c 'grep " /data " /proc/self/mountinfo'
    assert_success
    [ -n "$output" ] || fail "Expected /data in the container's mountinfo." "$(_last_run)"
    assert_mounts_unchanged
}

@test "a single-file volume: read in the container, written back to the host" {
    echo "setting=1" >"$HOST/app.conf"
    container_run -v "$HOST/app.conf:/etc/app.conf" "$ROOTFS" \
        sh -c 'cat /etc/app.conf; echo "setting=2" >> /etc/app.conf; [ -f /etc/app.conf ]'
    assert_success
    assert_output "setting=1"
    assert_file_content "$HOST/app.conf" "setting=1
setting=2"
    assert_tree_unchanged
}

@test "a single-file volume over a file of the image hides it, and leaves it as it was" {
    echo "10.0.0.1 from-the-host" >"$HOST/hosts"
    container_run -v "$HOST/hosts:/etc/hosts" "$ROOTFS" cat /etc/hosts
    assert_success
    assert_output "10.0.0.1 from-the-host"
    assert_file_content "$ROOTFS/etc/hosts" "$(cat "$IMAGE/etc/hosts")"
    assert_tree_unchanged
}

@test "a missing -v source is created as a directory with mode 0755, even under umask 077" {
    umask 077
    container_run -v "$HOST/new/sub:/data" "$ROOTFS" sh -c 'echo made > /data/file'
    umask 022
    assert_success
    [ -d "$HOST/new/sub" ] || fail "Expected the runtime to create the directory $HOST/new/sub."
    assert_mode "$HOST/new/sub" 755
    assert_mode "$HOST/new" 755
    assert_file_content "$HOST/new/sub/file" "made"
}

@test "an existing source keeps its mode (directory and file)" {
    mkdir -m 0750 "$HOST/private"
    echo secret >"$HOST/secret.txt"
    chmod 0600 "$HOST/secret.txt"
    container_run -v "$HOST/private:/data" -v "$HOST/secret.txt:/secret.txt" "$ROOTFS" \
        sh -c 'ls /data; cat /secret.txt'
    assert_success
    assert_output "secret"
    assert_mode "$HOST/private" 750
    assert_mode "$HOST/secret.txt" 600
}

@test "a relative -v source is refused, and creates nothing" {
    cd "$HOST"
    container_run -v "relative/dir:/data" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "invalid volume specification: 'relative/dir:/data'" "absolute"
    assert_output ""
    assert_not_exists "$HOST/relative"
    assert_tree_unchanged
}

@test "--mount with a missing source fails with 'source path does not exist', creates nothing" {
    container_run --mount "type=bind,source=$HOST/missing,target=/data" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "source path does not exist: $HOST/missing"
    assert_output ""
    assert_not_exists "$HOST/missing"
    assert_tree_unchanged
}

@test "--mount binds an existing directory, both directions" {
    mkdir "$HOST/shared"
    echo "from the host" >"$HOST/shared/in.txt"
    container_run --mount "type=bind,source=$HOST/shared,target=/data" "$ROOTFS" \
        sh -c 'cat /data/in.txt; echo "from the container" > /data/out.txt'
    assert_success
    assert_output "from the host"
    assert_file_content "$HOST/shared/out.txt" "from the container"
    assert_tree_unchanged
}

@test "--mount accepts Docker's aliases src= and dst=" {
    mkdir "$HOST/shared"
    echo "aliased" >"$HOST/shared/in.txt"
    container_run --mount "type=bind,src=$HOST/shared,dst=/data" "$ROOTFS" cat /data/in.txt
    assert_success
    assert_output "aliased"
}

@test "a source that is a symlink mounts what it points to" {
    mkdir "$HOST/real"
    echo "in the real directory" >"$HOST/real/file"
    ln -s "$HOST/real" "$HOST/link"
    container_run -v "$HOST/link:/data" "$ROOTFS" \
        sh -c 'cat /data/file; echo written > /data/new; [ -d /data ] && [ ! -L /data ]'
    assert_success
    assert_output "in the real directory"
    assert_file_content "$HOST/real/new" "written"
    [ -L "$HOST/link" ] || fail "Expected $HOST/link to still be a symlink."
    assert_tree_unchanged
}

@test "a symlink to a file as source mounts the file" {
    echo "the real file" >"$HOST/real.txt"
    ln -s real.txt "$HOST/link.txt"
    container_run -v "$HOST/link.txt:/data.txt" "$ROOTFS" sh -c 'cat /data.txt; [ -f /data.txt ]'
    assert_success
    assert_output "the real file"
    assert_tree_unchanged
}

@test "submounts of the source are visible in the container (recursive bind)" {
    mkdir -p "$HOST/shared/sub"
    sandbox_mount -t tmpfs tmpfs "$HOST/shared/sub"
    echo "on the submount" >"$HOST/shared/sub/file"
    container_run -v "$HOST/shared:/data" "$ROOTFS" cat /data/sub/file
    assert_success
    assert_output "on the submount"
}

@test "missing parents of the destination are created, and removed afterwards" {
    # In the image they are made in the container's own layer, which goes with it; inside
    # another volume (/o) they are made in its source on the host, and must go again.
    mkdir "$HOST/shared" "$HOST/outer"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/shared:/a/b/c" -v "$HOST/outer:/o" -v "$HOST/shared:/o/a/b/c" \
        "$ROOTFS" sh -c 'ls -d /a/b/c /o/a/b/c && touch /a/b/c/here'
    assert_success
    assert_exists "$HOST/shared/here"
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged
}

@test "missing parents of a file destination are created, and removed afterwards" {
    echo "deep" >"$HOST/file.txt"
    mkdir "$HOST/outer"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/file.txt:/x/y/file.txt" -v "$HOST/outer:/o" \
        -v "$HOST/file.txt:/o/x/y/file.txt" "$ROOTFS" cat /x/y/file.txt /o/x/y/file.txt
    assert_success
    assert_output "deep
deep"
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged
}

@test "a directory of the image can be a mount point, and is left as it was" {
    mkdir "$HOST/shared"
    echo "over root's home" >"$HOST/shared/file"
    container_run -v "$HOST/shared:/root" "$ROOTFS" cat /root/file
    assert_success
    assert_output "over root's home"
    assert_tree_unchanged
}

@test "the destination is normalised: '//data/./x/../' is /data" {
    mkdir "$HOST/shared"
    echo "normalised" >"$HOST/shared/file"
    container_run -v "$HOST/shared://data/./x/../" "$ROOTFS" cat /data/file
    assert_success
    assert_output "normalised"
    assert_tree_unchanged
}

@test "paths with spaces work, and are cleaned up (mountinfo escapes them as \\040)" {
    mkdir "$HOST/with space" "$HOST/outer"
    echo "spaced" >"$HOST/with space/file"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/with space:/my data" -v "$HOST/outer:/o" \
        -v "$HOST/with space:/o/my data" "$ROOTFS" sh -c 'cat "/my data/file" "/o/my data/file"'
    assert_success
    assert_output "spaced
spaced"
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged
}

@test "the same source at two destinations: both see each other's writes" {
    mkdir "$HOST/shared"
    container_run -v "$HOST/shared:/one" -v "$HOST/shared:/two" "$ROOTFS" \
        sh -c 'echo via-one > /one/file; cat /two/file'
    assert_success
    assert_output "via-one"
    assert_tree_unchanged
}

@test "a file volume on a directory of the image fails cleanly (125, one line, nothing left)" {
    echo "a file" >"$HOST/file.txt"
    container_run -v "$HOST/file.txt:/etc" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "container:" "/etc"
    assert_output ""
    assert_tree_unchanged
    assert_file_content "$HOST/file.txt" "a file"
}
