/// @file named_test.cpp
/// @brief Checks of step 6: named_volume_path(), create_named_volume(), copy_up() and
///        lock_named_volume().
///
/// Built twice: test-06-named-solutions (the reference) and test-06-named-steps (your
/// steps/06-named/named.cpp). Each test works in a temporary directory standing for
/// `$CONTAINER_ROOT/volumes` (and, for copy-up, for the image's directory), as root in a
/// private mount namespace. A "// hint: N" line names the hint of README.md to read when
/// the check below it fails.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "container/error.hpp"
#include "container/named_volume_steps.hpp"
#include "container/unique_fd.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace container;
using namespace container::test_support;

namespace {

UniqueFd open_directory(const fs::path& path) {
    return UniqueFd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

struct stat status_of(const fs::path& path) {
    struct stat status {};
    EXPECT_EQ(::lstat(path.c_str(), &status), 0) << "happened: " << path;
    return status;
}

/// True when the directory @p path is locked exclusively by nobody and can be: what
/// `container volume rm` tries (flock LOCK_EX | LOCK_NB on a descriptor of its own).
bool can_lock_exclusively(const fs::path& path) {
    const auto fd = open_directory(path);
    if (!fd) return false;
    return ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0;
}

class NamedVolume : public ::testing::Test {
protected:
    TempDir dir_;
    fs::path volumes_ = dir_.path();
};

// hint: 1
TEST_F(NamedVolume, PathOfAGoodNameIsOneEntryOfTheVolumesDirectory) {
    EXPECT_EQ(named_volume_path(volumes_, "db"), volumes_ / "db");
    EXPECT_EQ(named_volume_path(volumes_, "my_db.2-x"), volumes_ / "my_db.2-x");
}

// hint: 1
TEST_F(NamedVolume, BadNamesAreRefusedBeforeAnyPathIsMade) {
    for (const std::string& name :
         std::vector<std::string>{"", "a", "..", ".", "../etc", "a/b", "/abs", "-db", ".db", "_db",
                                  "d b", std::string(256, 'a')}) {
        try {
            (void)named_volume_path(volumes_, name);
            ADD_FAILURE() << "the name '" << name << "' was accepted";
        } catch (const UsageError& error) {
            EXPECT_NE(std::string{error.what()}.find("invalid volume name '" + name + "'"),
                      std::string::npos)
                << "happened: " << error.what();
        } catch (const std::exception& error) {
            ADD_FAILURE() << "'" << name << "': expected a UsageError, got: " << error.what();
        }
    }
}

// hint: 2
TEST_F(NamedVolume, CreateMakesDataCreatedAndNothingElse) {
    const auto old_umask = ::umask(077);
    const bool created = create_named_volume(volumes_, "db", false);
    ::umask(old_umask);
    EXPECT_TRUE(created);
    EXPECT_TRUE(is_real_directory(volumes_ / "db/_data"));
    EXPECT_EQ(mode_of(volumes_ / "db/_data"), 0755U)
        << "happened: mode exactly 0755, whatever the umask";
    EXPECT_TRUE(is_real_file(volumes_ / "db/created"));
    EXPECT_EQ(read_file(volumes_ / "db/created").size(),
              std::string("2026-01-01T00:00:00Z\n").size())
        << "happened: created: the time as RFC 3339, UTC: " << read_file(volumes_ / "db/created");
    EXPECT_FALSE(exists_no_follow(volumes_ / "db/anonymous"));
    EXPECT_EQ(listing(volumes_), "[db]") << "happened: only the volume, no temporary entry left";
    EXPECT_TRUE(create_named_volume(volumes_, "anon", true));
    EXPECT_TRUE(is_real_file(volumes_ / "anon/anonymous"));
}

// hint: 2
TEST_F(NamedVolume, CreateLeavesAnExistingVolumeAsItIs) {
    ASSERT_TRUE(create_named_volume(volumes_, "db", false));
    write_file(volumes_ / "db/_data/kept", "data");
    EXPECT_FALSE(create_named_volume(volumes_, "db", false))
        << "happened: false: it existed already";
    EXPECT_EQ(read_file(volumes_ / "db/_data/kept"), "data");
    EXPECT_EQ(listing(volumes_), "[db]") << "happened: nothing of the second call left behind";
}

// hint: 3
TEST_F(NamedVolume, CreatesAtOnceMakeOneVolumeAndOneWinner) {
    constexpr int kRounds = 20;
    constexpr int kThreads = 4;
    for (int round = 0; round < kRounds; ++round) {
        const std::string name = "racy" + std::to_string(round);
        std::atomic<int> winners{0};
        std::atomic<int> failures{0};
        std::atomic<bool> not_started{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&] {
                try {
                    if (create_named_volume(volumes_, name, false)) ++winners;
                } catch (const container::NotImplemented&) {
                    not_started = true;
                } catch (...) {
                    ++failures;
                }
            });
        }
        for (auto& thread : threads) thread.join();
        // A skeleton is "not implemented yet", as in every other check, not a lost race.
        if (not_started) container::not_implemented("create_named_volume");
        EXPECT_EQ(failures.load(), 0)
            << "happened: " << name << ": a create failed instead of finding the volume";
        EXPECT_EQ(winners.load(), 1) << "happened: " << name << ": exactly one create makes it";
        EXPECT_EQ(listing(volumes_ / name), "[_data, created]") << "happened: " << name;
    }
    EXPECT_EQ(std::distance(fs::directory_iterator(volumes_), fs::directory_iterator{}), kRounds)
        << "happened: nothing but the volumes: " << listing(volumes_);
}

// hint: 4
TEST_F(NamedVolume, CopyUpKeepsModesOwnersAndTimes) {
    const fs::path image = volumes_ / "image";
    make_directory(image, 0750);
    make_directory(image / "sub", 01777);
    write_file(image / "tool", "#!/bin/sh\n");
    ASSERT_EQ(::chown((image / "tool").c_str(), 1234, 5678), 0);
    ASSERT_EQ(::chmod((image / "tool").c_str(), 04755), 0);
    write_file(image / "sub/deep", "deep");
    ASSERT_EQ(::chmod((image / "sub/deep").c_str(), 0600), 0);
    const struct timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, (image / "sub/deep").c_str(), old_times, 0), 0);
    make_directory(volumes_ / "data");

    copy_up(open_directory(image), open_directory(volumes_ / "data"));

    const fs::path data = volumes_ / "data";
    EXPECT_EQ(read_file(data / "tool"), "#!/bin/sh\n");
    EXPECT_EQ(mode_of(data / "tool"), 04755U)
        << "happened: the setuid bit too (chown clears it: order?)";
    EXPECT_EQ(status_of(data / "tool").st_uid, 1234U);
    EXPECT_EQ(status_of(data / "tool").st_gid, 5678U);
    EXPECT_EQ(mode_of(data / "sub"), 01777U);
    EXPECT_EQ(read_file(data / "sub/deep"), "deep");
    EXPECT_EQ(mode_of(data / "sub/deep"), 0600U);
    EXPECT_EQ(status_of(data / "sub/deep").st_mtim.tv_sec, 1000000000)
        << "happened: the modification time";
    EXPECT_EQ(mode_of(data), 0750U)
        << "happened: the volume's root takes the mode of the image's directory";
}

// hint: 4
TEST_F(NamedVolume, CopyUpKeepsSymlinksAndHardLinksAsTheyAre) {
    const fs::path image = volumes_ / "image";
    make_directory(image);
    write_file(image / "file", "content");
    fs::create_symlink("file", image / "relative");
    fs::create_symlink("/etc/shadow", image / "absolute");
    fs::create_symlink("missing", image / "dangling");
    fs::create_hard_link(image / "file", image / "hard");
    ASSERT_EQ(::mkfifo((image / "fifo").c_str(), 0640), 0);
    make_directory(volumes_ / "data");

    copy_up(open_directory(image), open_directory(volumes_ / "data"));

    const fs::path data = volumes_ / "data";
    ASSERT_TRUE(is_symlink_no_follow(data / "relative")) << "happened: a symlink stays a symlink";
    EXPECT_EQ(fs::read_symlink(data / "relative"), "file");
    ASSERT_TRUE(is_symlink_no_follow(data / "absolute"))
        << "happened: never followed (it leads to the host)";
    EXPECT_EQ(fs::read_symlink(data / "absolute"), "/etc/shadow");
    EXPECT_TRUE(is_symlink_no_follow(data / "dangling"));
    EXPECT_EQ(status_of(data / "hard").st_ino, status_of(data / "file").st_ino)
        << "happened: hard links of one file stay one file";
    EXPECT_EQ(status_of(data / "file").st_nlink, 2U);
    EXPECT_TRUE(S_ISFIFO(status_of(data / "fifo").st_mode));
    EXPECT_EQ(mode_of(data / "fifo"), 0640U);
}

// hint: 5
TEST_F(NamedVolume, LockIsSharedAndKeepsRmOut) {
    ASSERT_TRUE(create_named_volume(volumes_, "db", false));
    {
        const auto first = lock_named_volume(volumes_, "db");
        const auto second = lock_named_volume(volumes_, "db");
        ASSERT_TRUE(first) << "happened: a lock on an existing volume";
        ASSERT_TRUE(second) << "expected: two containers may use one volume at once";
        EXPECT_FALSE(can_lock_exclusively(volumes_ / "db"))
            << "happened: while a container holds the volume, `volume rm` cannot take it";
    }
    EXPECT_TRUE(can_lock_exclusively(volumes_ / "db"))
        << "happened: closing the descriptor lets go";
}

// hint: 5
TEST_F(NamedVolume, LockIsDroppedWhenItsHolderIsKilled) {
    ASSERT_TRUE(create_named_volume(volumes_, "db", false));
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        const auto lock = lock_named_volume(volumes_, "db");
        const char byte = lock ? '1' : '0';
        (void)!::write(ready[1], &byte, 1);
        ::pause();
        ::_exit(0);
    }
    ::close(ready[1]);
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);
    ::close(ready[0]);
    EXPECT_EQ(byte, '1') << "happened: the child got its lock";
    EXPECT_FALSE(can_lock_exclusively(volumes_ / "db")) << "happened: held by the child";
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    EXPECT_TRUE(can_lock_exclusively(volumes_ / "db"))
        << "happened: SIGKILL leaves no volume stuck in use";
}

// hint: 5
TEST_F(NamedVolume, LockOfAMissingOrMovedVolumeIsEmpty) {
    EXPECT_FALSE(lock_named_volume(volumes_, "absent")) << "happened: no volume: an empty UniqueFd";
    ASSERT_TRUE(create_named_volume(volumes_, "db", false));
    // A `volume rm` holds the volume exclusively while it moves it away; the lock taken
    // meanwhile is granted once it has, on a directory that is no longer the volume.
    const auto remover = open_directory(volumes_ / "db");
    ASSERT_EQ(::flock(remover.get(), LOCK_EX), 0);
    std::thread rm([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        fs::rename(volumes_ / "db", volumes_ / ".removing-db");
        ::flock(remover.get(), LOCK_UN);
    });
    const auto lock = lock_named_volume(volumes_, "db");
    rm.join();
    EXPECT_FALSE(lock) << "happened: the volume was moved away while waiting for the lock";
}

}  // namespace
