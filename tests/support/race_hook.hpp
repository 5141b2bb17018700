/// @file race_hook.hpp
/// @brief Deterministic races for the checks: something changes the file system right
///        before the code under test acts on it.
///
/// A race between "resolved" and "acted" cannot be won reliably by a second process in a
/// test. So the test binaries (and only they: this file is part of tests/support) define
/// their own versions of the C library's functions that change the file system (mkdir,
/// mkdirat, chmod, fchmod, rmdir, unlink, unlinkat, rename*, open/openat with O_CREAT,
/// mount, umount, umount2, open_tree, move_mount, mount_setattr) and of statx(2), the
/// look before an act. The code under test, the student's and the runtime's, calls these
/// instead of the C library's. Each counts as one "act" and does what the C library
/// would, by the raw system call, after running the armed swap when its turn has come.
///
/// A check arms a RaceHook with a swap and a number N, runs the function under test, and
/// looks at the result: the swap ran right before the N-th act. Running the scenario for
/// every N from 1 to the number of acts it makes covers every gap between two acts.
/// Code that holds descriptors does not care what happened to the paths meanwhile; code
/// that walks a path again acts on whatever the swap put there.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace container::test_support {

/// Arms a swap for the code that runs while it lives (one at a time).
class RaceHook {
public:
    /// @p swap runs once, right before act number @p before_act (counted from 1) of the
    /// code that runs while this object lives. 0 counts the acts and never swaps.
    RaceHook(int before_act, std::function<void()> swap);
    ~RaceHook();
    RaceHook(const RaceHook&) = delete;
    RaceHook& operator=(const RaceHook&) = delete;

    /// How many acts were made so far.
    [[nodiscard]] int acts() const;
    /// True once the swap ran.
    [[nodiscard]] bool swapped() const;
    /// The name of the act the swap ran before ("unlinkat"), for messages.
    [[nodiscard]] const std::string& swapped_before() const;
    /// What went wrong in the swap itself ("" when nothing did).
    [[nodiscard]] const std::string& swap_error() const;
};

/// How many acts @p action makes when nothing interferes (it runs it once, under a
/// RaceHook that never swaps). For the bound of a loop over every act. What @p action
/// throws goes on: a race check fails when the code does not work without a race.
[[nodiscard]] int count_acts(const std::function<void()>& action);

/// Renames @p path to "<path>.moved" and puts a symlink to @p target in its place: what a
/// process that can write in the directory of @p path can do at any moment.
void swap_for_symlink(const std::filesystem::path& path, const std::filesystem::path& target);

/// Exchanges the two entries @p a and @p b atomically (renameat2 RENAME_EXCHANGE).
void exchange(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace container::test_support
