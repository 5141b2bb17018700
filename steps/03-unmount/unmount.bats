#!/usr/bin/env bats
# Step 3 checks: unmount_volume() and remove_mount_point() seen through the whole runtime.
#
# $CONTAINER is the runtime built from YOUR steps/03-unmount/unmount.cpp and the reference
# code of the other steps (the grader sets it). The runtime cleans the volumes up when the
# command exits; a cleanup error is only a warning on stderr (the exit status stays the
# command's), so these checks look at what the run left: stderr must hold no warning, and
# the sources ($HOST) must be exactly as they were. The image ($ROOTFS) is never modified
# (each container makes its mount points in a writable layer of its own, gone with it), so
# each check nests its volume in another one, /o: the mount point is then made in that
# volume's source on the host, $HOST/outer, and only the cleanup can remove it.
# A "# hint: N" line names the hint of hints.md to read when the check below it fails.
#
# Run by hand (as root): common/tools/in-namespace bats steps/03-unmount/unmount.bats
# (`make grade STEP=03-unmount` does it for you).

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/data" "$HOST/outer"
    echo "precious" >"$HOST/data/keep.txt"
    echo "outer" >"$HOST/outer/outer.txt"
    HOLDER_PID=
}
teardown() {
    if [ -n "$HOLDER_PID" ]; then
        kill -KILL "$HOLDER_PID" 2>/dev/null || true
        wait "$HOLDER_PID" 2>/dev/null || true
    fi
    sandbox_teardown
}

# assert_clean_exit: the run succeeded and its cleanup reported nothing.
assert_clean_exit() {
    assert_success
    [ -z "$stderr" ] ||
        fail "expected: the cleanup to report nothing on stderr" "happened:" "$(_last_run)"
}

# The container's init: the runtime's child, which lives in the container's namespaces
# and does the cleanup. Prints its pid.
init_of() {
    local stat line rest
    for stat in /proc/[0-9]*/stat; do
        line=$(cat "$stat" 2>/dev/null) || continue
        rest=${line##*) }              # after "pid (comm) ": state ppid ...
        set -- $rest
        if [ "$2" = "$CONTAINER_PID" ]; then
            line=${stat#/proc/}
            echo "${line%/stat}"
            return 0
        fi
    done
    return 1
}

# hint: 5
@test "the mount point created for a volume is removed, and the container's writes stay in the source" {
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/o" -v "$HOST/data:/o/data" "$ROOTFS" \
        sh -c 'echo "written inside" > /o/data/new.txt; cat /o/data/keep.txt'
    assert_clean_exit
    assert_output "precious"                       # container side: the volume was there
    assert_dir_unchanged "$HOST/outer"             # host side: its mount point is gone again
    assert_file_content "$HOST/data/keep.txt" "precious"
    assert_file_content "$HOST/data/new.txt" "written inside"
    assert_tree_unchanged                          # (the image is never modified)
}

# hint: 4
@test "missing parents created for the mount point are removed too" {
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/o" -v "$HOST/data:/o/srv/www/data" "$ROOTFS" ls /o/srv/www/data
    assert_clean_exit
    assert_output "keep.txt"
    assert_dir_unchanged "$HOST/outer"             # no srv/www/data, srv/www nor srv
    assert_file_content "$HOST/data/keep.txt" "precious"
}

# hint: 4
@test "the empty file created as a file volume's mount point is removed" {
    echo "setting=1" >"$HOST/app.conf"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/o" -v "$HOST/app.conf:/o/app.conf" "$ROOTFS" cat /o/app.conf
    assert_clean_exit
    assert_output "setting=1"
    assert_dir_unchanged "$HOST/outer"             # no app.conf left in it
    assert_file_content "$HOST/app.conf" "setting=1"
}

# hint: 4
@test "a mount point that already existed is kept, with its mode" {
    # Empty, so that a cleanup removing what it did not create would manage to.
    mkdir -m 0700 "$HOST/outer/srv"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/o" -v "$HOST/data:/o/srv" "$ROOTFS" ls /o/srv
    assert_clean_exit
    assert_output "keep.txt"                       # the volume was mounted there
    assert_dir_unchanged "$HOST/outer"             # and srv is still there, mode 0700
}

# hint: 3
@test "a volume kept busy by a process outside the container is detached, and the source keeps every file" {
    # The container meets the test through two fifos in the outer volume (not in the busy
    # one, whose files are counted at the end).
    make_fifo "$HOST/outer/ready" "$HOST/outer/go" "$SANDBOX/holding"
    snapshot_dir "$HOST/outer"
    container_start -v "$HOST/outer:/o" -v "$HOST/data:/o/data" "$ROOTFS" \
        sh -c 'echo up > /o/ready; read line < /o/go; echo "command done"'
    read_fifo "$HOST/outer/ready" >/dev/null

    # A process outside the container takes /o/data as its working directory, through the
    # init's root: the volume is busy when the cleanup comes, and stays busy.
    local init
    init=$(init_of) || fail "Could not find the container's init (the child of pid $CONTAINER_PID)."
    sh -c 'cd "$1" && echo in > "$2" && exec sleep 60' holder "/proc/$init/root/o/data" \
        "$SANDBOX/holding" >/dev/null 2>&1 3>&- &
    HOLDER_PID=$!
    read_fifo "$SANDBOX/holding" >/dev/null

    write_fifo "$HOST/outer/go" "go"
    container_wait 20
    assert_clean_exit
    assert_output "command done"
    # Detached (not left mounted), removed (not deleted recursively): the holder still sees
    # the volume, the source keeps its file, and the image is as it was.
    [ -f "$HOST/data/keep.txt" ] || fail \
        "happened: the source $HOST/data lost keep.txt: files were deleted through the volume" \
        "while it was still mounted. Never remove a mount point recursively; verify it is" \
        "unmounted first." \
        "$(_last_run)"
    assert_file_content "$HOST/data/keep.txt" "precious"
    assert_dir_unchanged "$HOST/outer"             # no mount point data left in it
    [ "$(ls "/proc/$HOLDER_PID/cwd/")" = "keep.txt" ] || fail \
        "expected: the process that held the volume to still see it (a lazy detach keeps it" \
        "  for its users)" \
        "happened: its working directory shows: $(ls "/proc/$HOLDER_PID/cwd/" 2>&1)"
}
