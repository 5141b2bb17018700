#!/usr/bin/env bats
# Step 2 checks: mount_volume() seen through the whole runtime.
#
# $CONTAINER is the runtime built from YOUR steps/02-mount/mount.cpp and the reference
# code of the other steps (the grader sets it). Each check looks at the host side (the
# sandbox's $HOST) and at the container side (what the command inside sees).
# A "# hint: N" line names the hint of hints.md to read when the check below it fails.
#
# Run by hand (as root): common/tools/in-namespace bats steps/02-mount/mount.bats
# (`make grade STEP=02-mount` does it for you).

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/data"
}
teardown() { sandbox_teardown; }

# hint: 4
@test "a file written on the host is read in the container" {
    echo "from the host" >"$HOST/data/hello.txt"
    container_run -v "$HOST/data:/data" "$ROOTFS" cat /data/hello.txt
    assert_success
    assert_output "from the host"
}

# hint: 4
@test "a file written in the container is in the source on the host" {
    container_run -v "$HOST/data:/data" "$ROOTFS" sh -c 'echo "from the container" > /data/new.txt'
    assert_success
    assert_file_content "$HOST/data/new.txt" "from the container"
    # Nothing of it landed in the image: the write went through the bind mount.
    assert_tree_unchanged
}

# hint: 1
@test "a mount below the source is visible in the container (recursive bind)" {
    mkdir "$HOST/data/sub"
    echo "under the submount's mount point" >"$HOST/data/sub/hidden.txt"
    sandbox_mount -t tmpfs tmpfs "$HOST/data/sub"
    echo "on the submount" >"$HOST/data/sub/deep.txt"
    container_run -v "$HOST/data:/data" "$ROOTFS" sh -c 'ls /data/sub'
    assert_success
    [ "$output" = "deep.txt" ] || fail \
        "expected: /data/sub in the container to show the tmpfs mounted at $HOST/data/sub" \
        "  (deep.txt)" \
        "happened: it shows the directory under it instead: the bind did not take the submounts" \
        "along (MS_REC)" \
        "$(_last_run)"
    assert_file_content "$HOST/data/sub/deep.txt" "on the submount"
}

# hint: 4
@test "a file volume shows the host file and writes go back to it" {
    echo "version 1" >"$HOST/app.conf"
    container_run -v "$HOST/app.conf:/etc/app.conf" "$ROOTFS" \
        sh -c 'cat /etc/app.conf; echo "version 2" > /etc/app.conf'
    assert_success
    assert_output "version 1"
    assert_file_content "$HOST/app.conf" "version 2"
}

# hint: 3
@test "the container's mount table has exactly one bind mount of the source at the destination" {
    container_run -v "$HOST/data:/data" "$ROOTFS" cat /proc/self/mountinfo
    assert_success
    # mountinfo fields: id parent major:minor ROOT MOUNT-POINT ...; ROOT is the source's
    # path within its file system: the source path itself for a bind of the host's
    # directory, unless the sandbox lives on a file system mounted elsewhere.
    local lines
    lines=$(awk '$5 == "/data"' <<<"$output")
    [ -n "$lines" ] || fail "expected: a mount at /data in the container's /proc/self/mountinfo" \
        "happened: there is none" "$(_last_run)"
    [ "$(wc -l <<<"$lines")" -eq 1 ] || fail \
        "expected: exactly one mount at /data (a second mount(2) on the same target stacks)" \
        "happened: the container's mountinfo has:" "$(sed 's/^/  /' <<<"$lines")"
    local root
    root=$(awk '{ print $4 }' <<<"$lines")
    [[ "$HOST/data" == *"$(printf '%b' "$root")" ]] || fail \
        "expected: the mount at /data to show the source $HOST/data" "happened: its root is $root" \
        "$(sed 's/^/  /' <<<"$lines")"
}
