#!/usr/bin/env bats
# Safety invariants: nothing of a container is ever mounted in the host's namespace
# (while it runs, after it, when the runtime is killed, with "/" shared); no symlink or
# ".." in an image or a destination puts anything on the host; no host file is deleted,
# whatever the command does to its volume.
#
# "The host" here is the test's own throwaway mount namespace (see in-namespace), whose
# "/" is shared as on a systemd host.
#
# The tests where the command unmounts or mounts give it CAP_SYS_ADMIN (--cap-add
# SYS_ADMIN, which --privileged gives too): without it the command cannot, but a user may
# well give it, and the cleanup must stay safe then.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/shared"
    echo "precious" >"$HOST/shared/keep.txt"
    # A name nobody else uses, for paths that must never appear outside the sandbox.
    ESCAPE=container-escape-test-$$-$RANDOM
}
teardown() { sandbox_teardown; }

@test "the test namespace's / is shared, as on a systemd host" {
    run findmnt --noheadings --output PROPAGATION /
    [ "$output" = shared ] || fail "Expected / to be shared in the test's namespace; it is '$output'."
}

@test "no mount of the container is visible on the host while it runs" {
    make_fifo "$HOST/shared/ready" "$HOST/shared/go"
    container_start -v "$HOST/shared:/data" -v "$HOST/shared/keep.txt:/etc/keep.txt:ro" "$ROOTFS" \
        sh -c 'grep -c " /data " /proc/self/mountinfo; echo up > /data/ready; read line < /data/go'
    read_fifo "$HOST/shared/ready" >/dev/null
    # The container is running, its volumes mounted: the host must see none of them.
    assert_mounts_unchanged
    write_fifo "$HOST/shared/go" "done"
    container_wait
    assert_success
    [ "$output" -ge 1 ] || fail "The container did not see its own /data mount." "$(_last_run)"
    assert_mounts_unchanged
    assert_tree_unchanged
}

@test "killing the runtime with SIGKILL leaves no mount, and the container ends with it" {
    local hold=$ESCAPE-hold left
    make_fifo "$HOST/shared/ready" "$HOST/shared/$hold"
    # Were the runtime to keep its layer in $TMPDIR, it would be here, where the test sees it.
    mkdir "$SANDBOX/tmp"
    TMPDIR=$SANDBOX/tmp container_start -v "$HOST/shared:/data" "$ROOTFS" \
        sh -c "mkdir /made-in-the-layer; echo up > /data/ready; exec cat /data/$hold"
    read_fifo "$HOST/shared/ready" >/dev/null
    kill -KILL "$CONTAINER_PID"
    container_wait 10
    assert_status 137
    assert_mounts_unchanged
    # The container's processes do not outlive the runtime (they would keep its mounts).
    assert_no_process_matching "/data/$hold" 10
    assert_file_content "$HOST/shared/keep.txt" "precious"
    # Nothing reached the image, and nothing of the layer is left: it lived on a tmpfs of
    # the container's mount namespace, gone with it.
    assert_tree_unchanged
    [ -z "$(ls -A "$SANDBOX/tmp")" ] || fail "Expected nothing left in \$TMPDIR: $(ls -lA "$SANDBOX/tmp")"
}

@test "a symlink in the image (/evil -> /etc) cannot put a volume on the host's /etc" {
    ln -s /etc "$ROOTFS/evil"
    snapshot_tree
    watch_outside "/etc/$ESCAPE"
    make_fifo "$HOST/shared/ready" "$HOST/shared/go"
    container_start -v "$HOST/shared:/evil/$ESCAPE" "$ROOTFS" \
        sh -c "cat /evil/$ESCAPE/keep.txt; echo up > /evil/$ESCAPE/ready; read line < /evil/$ESCAPE/go"
    read_fifo "$HOST/shared/ready" >/dev/null
    assert_not_exists "/etc/$ESCAPE"
    assert_mounts_unchanged
    write_fifo "$HOST/shared/go" "done"
    container_wait
    assert_success
    assert_output "precious"
    assert_not_exists "/etc/$ESCAPE"
    assert_tree_unchanged
}

@test "a relative symlink in the image (/up -> ../../..) cannot reach the host either" {
    ln -s ../../.. "$ROOTFS/up"
    snapshot_tree
    watch_outside "/tmp/$ESCAPE"
    container_run -v "$HOST/shared:/up/tmp/$ESCAPE" "$ROOTFS" cat "/up/tmp/$ESCAPE/keep.txt"
    assert_success
    assert_output "precious"
    assert_not_exists "/tmp/$ESCAPE"
    assert_tree_unchanged
}

@test "'..' in a destination stays inside the rootfs" {
    watch_outside "/tmp/$ESCAPE"
    container_run -v "$HOST/shared:/../../../../tmp/$ESCAPE" "$ROOTFS" cat "/tmp/$ESCAPE/keep.txt"
    assert_success
    assert_output "precious"
    assert_not_exists "/tmp/$ESCAPE"
    assert_tree_unchanged
}

@test "a symlink in the image as the parent of a file volume cannot reach the host" {
    ln -s /etc "$ROOTFS/evil"
    snapshot_tree
    watch_outside "/etc/$ESCAPE.conf"
    container_run -v "$HOST/shared/keep.txt:/evil/$ESCAPE.conf" "$ROOTFS" cat "/evil/$ESCAPE.conf"
    assert_success
    assert_output "precious"
    assert_not_exists "/etc/$ESCAPE.conf"
    assert_tree_unchanged
}

@test "no host file is deleted when the command swaps its volume for a symlink to /" {
    mkdir "$HOST/other"
    echo "also precious" >"$HOST/other/keep.txt"
    container_run --cap-add SYS_ADMIN -v "$HOST/shared:/data" -v "$HOST/other:/other" "$ROOTFS" \
        sh -c 'umount /data && rmdir /data && ln -s / /data && ls /data/other/keep.txt'
    assert_success
    assert_file_content "$HOST/shared/keep.txt" "precious"
    assert_file_content "$HOST/other/keep.txt" "also precious"
    assert_tree_kept
    assert_mounts_unchanged
}

@test "no host file is deleted when the command swaps its volume for a symlink to another volume" {
    mkdir "$HOST/other"
    echo "also precious" >"$HOST/other/keep.txt"
    container_run --cap-add SYS_ADMIN -v "$HOST/shared:/data" -v "$HOST/other:/other" "$ROOTFS" \
        sh -c 'umount /data && rmdir /data && ln -s /other /data'
    assert_success
    assert_file_content "$HOST/shared/keep.txt" "precious"
    assert_file_content "$HOST/other/keep.txt" "also precious"
    assert_tree_kept
}

@test "a mount point the command filled with files is not removed with them" {
    # The mount point /o/data is made in the outer volume's source: $HOST/outer/data.
    mkdir "$HOST/outer"
    container_run --cap-add SYS_ADMIN -v "$HOST/outer:/o" -v "$HOST/shared:/o/data" "$ROOTFS" \
        sh -c 'umount /o/data && echo "made in the container" > /o/data/made-here'
    assert_success
    assert_file_content "$HOST/shared/keep.txt" "precious"
    # Cleanup removes only an empty mount point: this one holds a file, it stays.
    assert_file_content "$HOST/outer/data/made-here" "made in the container"
    assert_tree_kept
}

@test "a command that unmounts its own volume does not make the run fail or leak" {
    container_run --cap-add SYS_ADMIN -v "$HOST/shared:/data" "$ROOTFS" sh -c 'umount /data'
    assert_success
    assert_file_content "$HOST/shared/keep.txt" "precious"
    assert_tree_kept
}

@test "a volume the command mounts over cannot be used to leak a mount to the host" {
    container_run --cap-add SYS_ADMIN -v "$HOST/shared:/data" "$ROOTFS" \
        sh -c 'mount -t tmpfs tmpfs /data && echo on-tmpfs > /data/f && cat /data/f'
    assert_success
    assert_output "on-tmpfs"
    assert_not_exists "$HOST/shared/f"
    assert_file_content "$HOST/shared/keep.txt" "precious"
    assert_tree_kept
}
