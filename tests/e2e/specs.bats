#!/usr/bin/env bats
# Volume specs the runtime must refuse before anything runs: malformed -v and --mount
# specs, bad modes, destinations that are "/" or relative, the same destination twice.
# Each refusal: exit 125, one line on stderr quoting the spec, the command not run, the
# sources not created, the image unchanged.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

# refused OPTION SPEC TEXT...: runs `container run OPTION SPEC` and checks the refusal.
refused() {
    local option=$1 spec=$2
    shift 2
    container_run "$option" "$spec" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "container:" "$@"
    assert_output ""
}

@test "destination '/' and whatever normalises to it is refused" {
    local destination
    for destination in / // /.. /../ /./ /a/.. ///.; do
        refused -v "$HOST/src:$destination" "invalid volume specification: '$HOST/src:$destination'"
        refused --mount "type=bind,source=$HOST,target=$destination" \
            "invalid mount specification: 'type=bind,source=$HOST,target=$destination'"
    done
    assert_not_exists "$HOST/src"
    assert_tree_unchanged
}

@test "a relative destination is refused" {
    refused -v "$HOST/src:data" "invalid volume specification: '$HOST/src:data'" "absolute"
    refused -v "$HOST/src:./data" "invalid volume specification: '$HOST/src:./data'" "absolute"
    refused --mount "type=bind,source=$HOST,target=data" "'type=bind,source=$HOST,target=data'" "absolute"
    assert_not_exists "$HOST/src"
    assert_tree_unchanged
}

@test "malformed -v specs are refused with the spec quoted" {
    local spec
    # ("$HOST/src" alone is an anonymous volume at that path, and "$HOST/src:/data:" a bind
    # with the empty mode: both valid, as in Docker.)
    for spec in "" "$HOST/src:" ":/data" "$HOST/src::ro" "$HOST/src:/data:ro:extra" \
        "$HOST/src:ro" "$HOST/src:/data:ro:"; do
        refused -v "$spec" "invalid volume specification: '$spec'"
    done
    assert_not_exists "$HOST/src"
    assert_tree_unchanged
}

@test "an unknown mode is refused: 'invalid mode: <mode>'" {
    local mode
    for mode in rx RO zz ro,rw rshared,rslave z,Z ro,; do
        refused -v "$HOST/src:/data:$mode" "invalid mode: $mode"
    done
    assert_not_exists "$HOST/src"
    assert_tree_unchanged
}

@test "malformed --mount specs are refused with the spec quoted" {
    mkdir "$HOST/src"
    local spec
    for spec in "type=volume,source=$HOST/src,target=/data" \
        "source=$HOST/src,target=/data" \
        "type=bind,target=/data" \
        "type=bind,source=$HOST/src" \
        "type=bind,source=$HOST/src,target=/data,bogus=1" \
        "type=bind,source=$HOST/src,target=/data,readonly=maybe" \
        "type=bind,source=$HOST/src,source=$HOST/src,target=/data" \
        "type=bind,source=,target=/data" \
        "type=bind,,source=$HOST/src,target=/data"; do
        refused --mount "$spec" "invalid mount specification: '$spec'"
    done
    assert_tree_unchanged
}

@test "a missing value for -v is a usage error" {
    container_run -v
    assert_status 125
    assert_one_error_line "container:" "-v"
}

@test "the same destination twice is refused before anything runs" {
    refused_twice() {
        container_run "$@" "$ROOTFS" sh -c 'echo ran'
        assert_status 125
        assert_one_error_line "container:" "/data"
        assert_stderr_contains "duplicate mount point"
        assert_output ""
    }
    refused_twice -v "$HOST/a:/data" -v "$HOST/b:/data"
    refused_twice -v "$HOST/a:/data" -v "$HOST/b:/data/"
    refused_twice -v "$HOST/a:/data" -v "$HOST/b://data/."
    refused_twice -v "$HOST/a:/data:ro" --mount "type=bind,source=$HOST,target=/data"
    # Refused before any source was created or any mount point made.
    assert_not_exists "$HOST/a"
    assert_not_exists "$HOST/b"
    assert_tree_unchanged
}
