// The one rule of the faulty runtimes that delete or mount on the host: they only ever do
// it to a volume whose source lies inside a test's own sandbox. Anywhere else they behave
// exactly like the reference runtime, so that running one by mistake breaks nothing.
//
// A test's sandbox is either
// - $GRADE_SANDBOX, the tmpfs the grader mounts for each check in a throwaway mount
//   namespace (common/tools/grade_exec.py), or
// - $SANDBOX, the `mktemp -d` directory "container-test.XXXXXX" that sandbox_setup
//   (tests/support/helpers.bash) makes for each Bats check, when the check runs in the
//   throwaway namespace of common/tools/in-namespace (CONTAINER_TEST_NAMESPACE set):
//   how the guide runs the checks by hand.
#pragma once

#include <linux/magic.h>  // TMPFS_MAGIC
#include <sys/vfs.h>      // statfs(2)

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace fault {

/// True when @p path lies strictly inside the directory @p top (both resolved).
inline bool strictly_inside(const std::filesystem::path& top, const std::filesystem::path& path) {
    std::error_code error;
    const std::string outer = std::filesystem::canonical(top, error).string();
    if (error || outer == "/") return false;
    const std::string inner = std::filesystem::canonical(path, error).string();
    if (error) return false;
    return inner.size() > outer.size() + 1 && inner.compare(0, outer.size() + 1, outer + "/") == 0;
}

/// True when @p source is inside a test's sandbox (see the top of this file).
inline bool inside_test_sandbox(const std::filesystem::path& source) {
    const char* grader = std::getenv("GRADE_SANDBOX");
    if (grader != nullptr && grader[0] == '/') {
        struct statfs fs {};
        if (::statfs(grader, &fs) == 0 && fs.f_type == TMPFS_MAGIC && strictly_inside(grader, source)) {
            return true;
        }
    }
    const char* check = std::getenv("SANDBOX");
    if (check == nullptr || check[0] != '/' || std::getenv("CONTAINER_TEST_NAMESPACE") == nullptr) {
        return false;
    }
    const std::string name = std::filesystem::path(check).filename().string();
    return name.starts_with("container-test.") && strictly_inside(check, source);
}

}  // namespace fault
