/// @file namespace_main.cpp
/// @brief main() of the step checks: runs every test in the throwaway mount namespace of
///        common/tools/in-namespace (one that looks like a systemd host), and fails any test
///        that leaves the mount table changed.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "container/mountinfo.hpp"
#include "container/volume.hpp"

namespace {

/// /proc/self/mountinfo, one raw line per mount id, in the kernel's order.
struct MountTable {
    std::map<std::uint64_t, std::string> lines;
    std::vector<std::uint64_t> order;
};

MountTable read_table() {
    MountTable table;
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        const std::uint64_t id = std::stoull(line);
        table.lines.emplace(id, line);
        table.order.push_back(id);
    }
    return table;
}

std::filesystem::path mount_point_of(const std::string& line) {
    try {
        return container::parse_mountinfo_line(line).mount_point;
    } catch (const std::exception&) {
        return {};
    }
}

/// Snapshots the mount table when a test starts and, when it ends, fails it if a mount
/// was added, removed or changed; added ones are then detached (deepest first) so that
/// the next test starts from the same table.
class MountTableGuard : public testing::EmptyTestEventListener {
public:
    void OnTestStart(const testing::TestInfo&) override { before_ = read_table(); }

    void OnTestEnd(const testing::TestInfo&) override {
        const MountTable after = read_table();
        std::vector<std::uint64_t> added;
        std::string report;
        for (const std::uint64_t id : after.order) {
            const auto old = before_.lines.find(id);
            if (old == before_.lines.end()) {
                added.push_back(id);
                report += "  added:   " + after.lines.at(id) + "\n";
            } else if (old->second != after.lines.at(id)) {
                report += "  changed: " + old->second + "\n       to: " + after.lines.at(id) + "\n";
            }
        }
        for (const std::uint64_t id : before_.order) {
            if (!after.lines.contains(id)) report += "  removed: " + before_.lines.at(id) + "\n";
        }
        if (report.empty()) return;

        // OnTestEnd runs while the test is still the current one: this failure is its own.
        ADD_FAILURE() << "the mount table at the end of the test is not what it was at the "
                         "start (a test must undo every mount it makes, and touch no other):\n"
                      << report;

        // Detach what was added, deepest first, newest first at the same depth.
        std::vector<std::filesystem::path> points;
        for (auto it = added.rbegin(); it != added.rend(); ++it) {
            points.push_back(mount_point_of(after.lines.at(*it)));
        }
        std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
            return container::path_depth(a) > container::path_depth(b);
        });
        for (const auto& point : points) {
            if (point.empty()) continue;
            ::mount(nullptr, point.c_str(), nullptr, MS_REC | MS_PRIVATE, nullptr);
            ::umount2(point.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW);
        }
    }

private:
    MountTable before_;
};

/// Whether this process runs in the namespace common/tools/in-namespace made for the tests
/// (it names that namespace in CONTAINER_TEST_NAMESPACE).
bool in_test_namespace() {
    const char* expected = std::getenv("CONTAINER_TEST_NAMESPACE");
    std::error_code error;
    return expected != nullptr &&
           std::filesystem::read_symlink("/proc/self/ns/mnt", error).string() == expected;
}

}  // namespace

int main(int argc, char** argv) {
    // Run as `sudo build/bin/test-...`: start again inside in-namespace, the one way every
    // test is isolated (before InitGoogleTest, which takes the --gtest flags out of argv).
    const bool listing = std::any_of(argv, argv + argc, [](const char* arg) {
        return std::string_view(arg) == "--gtest_list_tests";
    });
    if (!listing && ::geteuid() == 0 && !in_test_namespace()) {
        std::vector<char*> again{const_cast<char*>(IN_NAMESPACE_TOOL)};
        again.insert(again.end(), argv, argv + argc + 1);
        ::execv(IN_NAMESPACE_TOOL, again.data());
        std::cerr << "cannot run " << IN_NAMESPACE_TOOL << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    testing::InitGoogleTest(&argc, argv);
    if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();  // listing needs no root

    if (::geteuid() != 0) {
        std::cerr << "These checks mount file systems, which needs root: run them with sudo,\n"
                     "e.g. `sudo "
                  << argv[0]
                  << "`. They run in a private mount namespace of their own and leave\n"
                     "the host's mounts alone.\n";
        return 1;
    }

    testing::UnitTest::GetInstance()->listeners().Append(new MountTableGuard);
    return RUN_ALL_TESTS();
}
