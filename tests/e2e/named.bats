#!/usr/bin/env bats
# Named volumes, anonymous volumes, tmpfs mounts and bind propagation, through the whole
# runtime: Docker's own table of `-v` specs, `container volume ...`, what persists and
# what does not, and the races (two creates of one name, an rm racing a run).
# The volumes live in the sandbox ($CONTAINER_ROOT), never in the machine's.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

# Docker's table of Linux -v specs (moby volume/mounts/linux_parser_test.go,
# TestLinuxParseMountRaw): 27 valid, 32 invalid with the text Docker's error holds.
# Host paths are moved under $HOST; everything else is given as it is.
DOCKER_VALID=(
    "/home" "/home:/home" "/home:/something/else" "/with space" "/home:/with space"
    "relative:/absolute-path" "hostPath:/containerPath:ro" "/hostPath:/containerPath:rw"
    "/rw:/ro" "/hostPath:/containerPath:shared" "/hostPath:/containerPath:rshared"
    "/hostPath:/containerPath:slave" "/hostPath:/containerPath:rslave"
    "/hostPath:/containerPath:private" "/hostPath:/containerPath:rprivate"
    "/hostPath:/containerPath:ro,shared" "/hostPath:/containerPath:ro,slave"
    "/hostPath:/containerPath:ro,private" "/hostPath:/containerPath:ro,z,shared"
    "/hostPath:/containerPath:ro,Z,slave" "/hostPath:/containerPath:Z,ro,slave"
    "/hostPath:/containerPath:slave,Z,ro" "/hostPath:/containerPath:Z,slave,ro"
    "/hostPath:/containerPath:slave,ro,Z" "/hostPath:/containerPath:rslave,ro,Z"
    "/hostPath:/containerPath:ro,rshared,Z" "/hostPath:/containerPath:ro,Z,rprivate"
)
DOCKER_INVALID=(
    "|invalid volume specification" "./|mount path must be absolute"
    "../|mount path must be absolute" "/:../|mount path must be absolute"
    "/:path|mount path must be absolute" ":|invalid volume specification"
    "/tmp:|invalid volume specification" ":test|invalid volume specification"
    ":/test|invalid volume specification" "tmp:|invalid volume specification"
    ":test:|invalid volume specification" "::|invalid volume specification"
    ":::|invalid volume specification" "/tmp:::|invalid volume specification"
    ":/tmp::|invalid volume specification" "/path:rw|invalid volume specification"
    "/path:ro|invalid volume specification" "/rw:rw|invalid volume specification"
    "path:ro|invalid volume specification" "/path:/path:sw|invalid mode"
    "/path:/path:rwz|invalid mode" "/path:/path:ro,rshared,rslave|invalid mode"
    "/path:/path:ro,z,rshared,rslave|invalid mode" "/path:shared|invalid volume specification"
    "/path:slave|invalid volume specification" "/path:private|invalid volume specification"
    "name:/absolute-path:shared|invalid volume specification"
    "name:/absolute-path:rshared|invalid volume specification"
    "name:/absolute-path:slave|invalid volume specification"
    "name:/absolute-path:rslave|invalid volume specification"
    "name:/absolute-path:private|invalid volume specification"
    "name:/absolute-path:rprivate|invalid volume specification"
)

# under_host SPEC: SPEC with a host source (an absolute first field of two or three) moved
# under $HOST; a lone destination, a name, and the other fields left as they are.
under_host() {
    case $1 in
        /*:*) printf '%s' "$HOST$1" ;;
        *) printf '%s' "$1" ;;
    esac
}

@test "Docker's table of -v specs: all 59 agree (27 run, 32 refused with Docker's words)" {
    [ "${#DOCKER_VALID[@]}" -eq 27 ] && [ "${#DOCKER_INVALID[@]}" -eq 32 ] ||
        fail "The table lost entries: ${#DOCKER_VALID[@]} valid, ${#DOCKER_INVALID[@]} invalid."
    local spec entry expected agree=0 problems=()
    for spec in "${DOCKER_VALID[@]}"; do
        container_run -v "$(under_host "$spec")" "$ROOTFS" true
        if [ "$status" -eq 0 ]; then agree=$((agree + 1))
        else problems+=("valid '$spec' was refused ($status): $stderr"); fi
    done
    for entry in "${DOCKER_INVALID[@]}"; do
        spec=${entry%%|*} expected=${entry#*|}
        container_run -v "$(under_host "$spec")" "$ROOTFS" sh -c 'echo ran'
        if [ "$status" -eq 125 ] && [ "${#stderr_lines[@]}" -eq 1 ] &&
            [[ "$stderr" == *"$expected"* ]] && [ -z "$output" ]; then
            agree=$((agree + 1))
        else
            problems+=("invalid '$spec': expected 125 and '$expected', got $status: $stderr")
        fi
    done
    [ "$agree" -eq 59 ] || fail "$agree of 59 agree with Docker:" "${problems[@]}"
    assert_tree_unchanged
}

@test "volume create, ls, inspect, rm: Docker's output; a name is made once" {
    container_cli volume create db
    assert_success
    assert_output "db"
    container_cli volume create db
    assert_success
    assert_output "db"
    assert_exists "$CONTAINER_ROOT/volumes/db/_data"
    assert_mode "$CONTAINER_ROOT/volumes/db/_data" 755
    container_cli volume ls
    assert_output "DRIVER    VOLUME NAME
local     db"
    container_cli volume inspect db
    assert_success
    assert_output_contains "\"Name\": \"db\""
    assert_output_contains "\"Mountpoint\": \"$CONTAINER_ROOT/volumes/db/_data\""
    assert_output_contains "\"InUseBy\": []"
    container_cli volume rm db
    assert_success
    assert_output "db"
    assert_not_exists "$CONTAINER_ROOT/volumes/db"
    container_cli volume rm db
    assert_status 1
    assert_one_error_line "no such volume: db"
    container_cli volume create
    assert_success
    [[ "$output" =~ ^[0-9a-f]{64}$ ]] || fail "Expected a random name of 64 hex digits." "$(_last_run)"
}

@test "a bad volume name is refused in one line, and nothing is created" {
    local name
    for name in a ../x .db -db "a b" "a/b"; do
        container_cli volume create "$name"
        assert_status 1
        assert_one_error_line "invalid volume name '$name'"
    done
    [ -z "$(ls -A "$CONTAINER_ROOT/volumes")" ] || fail "Expected no volume: $(ls -A "$CONTAINER_ROOT/volumes")"
}

@test "data written through a named volume is read by the next container" {
    container_run -v db:/data "$ROOTFS" sh -c 'echo kept >/data/file'
    assert_success
    container_run --mount type=volume,source=db,target=/elsewhere "$ROOTFS" cat /elsewhere/file
    assert_success
    assert_output "kept"
    container_run -v db:/data:ro "$ROOTFS" sh -c 'echo x >/data/other'
    assert_failure
    assert_tree_unchanged
}

@test "copy-up: a new volume gets the image's files, modes, owners, links; nocopy does not" {
    cp -a "$ROOTFS" "$SANDBOX/app-image"
    local app=$SANDBOX/app-image/srv/app
    mkdir -p "$app/sub"
    echo secret >"$app/key" && chown 1234:5678 "$app/key" && chmod 4750 "$app/key"
    ln -s key "$app/link" && ln "$app/key" "$app/hard" && chmod 1777 "$app/sub"
    container_run -v app:/srv/app "$SANDBOX/app-image" true
    assert_success
    local data=$CONTAINER_ROOT/volumes/app/_data
    assert_file_content "$data/key" "secret"
    [ "$(stat -c '%a %u %g' "$data/key")" = "4750 1234 5678" ] ||
        fail "Expected key with mode 4750, owner 1234:5678: $(stat -c '%a %u %g' "$data/key")"
    [ "$(readlink "$data/link")" = "key" ] || fail "Expected link -> key, not a copy."
    [ "$(stat -c %i "$data/key")" = "$(stat -c %i "$data/hard")" ] || fail "Expected hard stays a hard link of key."
    assert_mode "$data/sub" 1777
    # Not empty any more: the next run does not copy again over what the volume holds.
    rm "$data/link"
    container_run -v app:/srv/app "$SANDBOX/app-image" true
    assert_not_exists "$data/link"
    container_run -v fresh:/srv/app:nocopy "$SANDBOX/app-image" true
    [ -z "$(ls -A "$CONTAINER_ROOT/volumes/fresh/_data")" ] || fail "Expected nocopy to copy nothing."
}

@test "inspect names the run that holds a volume in use, and nobody once it is killed" {
    local fifo=$SANDBOX/fifo
    make_fifo "$fifo"
    container_start -v db:/data -v "$SANDBOX:/sync" "$ROOTFS" sh -c 'echo up >/sync/fifo; sleep 30'
    read_fifo "$fifo" >/dev/null
    container_cli volume inspect db
    assert_output_contains "\"InUseBy\": [$CONTAINER_PID]"
    container_cli volume prune --all
    assert_output "Deleted Volumes:"
    kill -KILL "$CONTAINER_PID"
    container_wait 10
    container_cli volume inspect db
    assert_output_contains "\"InUseBy\": []"
}

@test "-v /dst is an anonymous volume: kept without --rm (prune removes it), gone with --rm" {
    container_run --rm -v /scratch "$ROOTFS" sh -c 'echo x >/scratch/f'
    assert_success
    [ -z "$(ls -A "$CONTAINER_ROOT/volumes")" ] || fail "Expected --rm to remove the anonymous volume."
    container_run -v /scratch -v named:/n "$ROOTFS" true
    assert_success
    [ "$(ls "$CONTAINER_ROOT/volumes" | wc -l)" -eq 2 ] || fail "Expected the anonymous volume kept."
    container_cli volume prune
    assert_success
    [ "$(ls "$CONTAINER_ROOT/volumes")" = "named" ] || fail "Expected prune to remove only the anonymous volume."
}

@test "a tmpfs is empty at each start, sized as asked, and nothing of it is on the host" {
    container_run --tmpfs /scratch:size=1m,mode=1777 "$ROOTFS" \
        sh -c 'ls -A /scratch; echo x >/scratch/f; stat -c %a /scratch; grep " /scratch " /proc/mounts'
    assert_success
    assert_output_contains "1777"
    assert_output_contains "size=1024k"
    container_run --mount type=tmpfs,target=/scratch "$ROOTFS" ls -A /scratch
    assert_success
    assert_output ""
    container_run --tmpfs /scratch:size=lots "$ROOTFS" true
    assert_status 125
    assert_one_error_line "invalid tmpfs specification: '/scratch:size=lots'"
    assert_mounts_unchanged
    assert_tree_unchanged
}

@test "rshared: a mount made in the container under the volume shows on the host" {
    # A missing source is created, as for any -v, before its peer link is kept.
    container_run --privileged -v "$HOST/src:/v:rshared" "$ROOTFS" \
        sh -c 'mkdir /v/sub && mount -t tmpfs made /v/sub'
    assert_success
    assert_mode "$HOST/src" 755
    grep -q " $HOST/src/sub " /proc/self/mountinfo || fail "Expected the container's mount on $HOST/src/sub."
    umount "$HOST/src/sub"
}

@test "rprivate (the default) and rslave: a mount made in the container stays there" {
    mkdir -p "$HOST/src/sub"
    local mode
    for mode in "" ":rprivate" ":rslave"; do
        container_run --privileged -v "$HOST/src:/v$mode" "$ROOTFS" mount -t tmpfs made /v/sub
        assert_success
        assert_no_mount_under "$HOST/src"
    done
}

@test "rslave: a mount made on the host shows in the container; rprivate: it does not" {
    mkdir -p "$HOST/src/sub"
    local fifo=$SANDBOX/fifo mode expected
    make_fifo "$fifo"
    for mode in rslave rprivate; do
        container_start --privileged -v "$HOST/src:/v:$mode" -v "$SANDBOX:/sync" "$ROOTFS" \
            sh -c 'echo up >/sync/fifo; read go </sync/fifo; grep -c " /v/sub " /proc/self/mountinfo'
        read_fifo "$fifo" >/dev/null
        mount -t tmpfs host "$HOST/src/sub"
        write_fifo "$fifo" go
        container_wait 10
        umount "$HOST/src/sub"
        expected=1; [ "$mode" = rprivate ] && expected=0
        [ "$output" = "$expected" ] || fail "$mode: expected the container to see $expected host mount(s), saw '$output'."
    done
}

@test "shared and slave need a shared (or slave) source mount: Docker's message" {
    mkdir -p "$HOST/private"
    sandbox_mount --make-private -t tmpfs private "$HOST/private"
    container_run -v "$HOST/private:/v:rshared" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "path $HOST/private is mounted on $HOST/private but it is not a shared mount"
    container_run --mount "type=bind,source=$HOST/private,target=/v,bind-propagation=slave" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "but it is not a shared or slave mount"
    assert_output ""
}

@test "two creates of one name at once: both succeed, one volume, nothing half-made" {
    local i pids=()
    for i in 1 2 3 4 5 6; do
        "$CONTAINER" volume create racy >/dev/null 2>"$SANDBOX/create$i.err" & pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || fail "A create failed: $(cat "$SANDBOX"/create*.err)"; done
    [ "$(ls -A "$CONTAINER_ROOT/volumes")" = "racy" ] || fail "Expected one volume, got: $(ls -A "$CONTAINER_ROOT/volumes")"
    [ "$(ls -A "$CONTAINER_ROOT/volumes/racy")" = "$(printf '_data\ncreated')" ] ||
        fail "Expected _data and created: $(ls -A "$CONTAINER_ROOT/volumes/racy")"
}

@test "rm racing run: each run sees a whole volume, each rm removes a whole one or refuses" {
    local i
    for i in 1 2 3 4 5 6 7 8; do
        container_start -v racy:/data "$ROOTFS" sh -c 'test -d /data && echo ok >/data/f && cat /data/f'
        "$CONTAINER" volume rm racy >/dev/null 2>&1 || true
        container_wait 10
        assert_success
        assert_output "ok"
    done
    "$CONTAINER" volume rm racy >/dev/null 2>&1 || true
    [ -z "$(ls -A "$CONTAINER_ROOT/volumes")" ] || fail "Expected nothing left: $(ls -A "$CONTAINER_ROOT/volumes")"
}
