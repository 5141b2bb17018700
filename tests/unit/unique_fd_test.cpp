// UniqueFd: owns exactly one descriptor and closes it exactly once.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>
#include <array>
#include <cerrno>

#include "container/unique_fd.hpp"

namespace container {
namespace {

bool is_open(int fd) {
    return ::fcntl(fd, F_GETFD) != -1;
}

/// Both ends of a pipe, closed at the end of the test whatever UniqueFd did.
class UniqueFdTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(::pipe2(ends_.data(), O_CLOEXEC), 0); }
    void TearDown() override {
        for (const int fd : ends_) {
            if (is_open(fd)) ::close(fd);
        }
    }
    int read_end() const { return ends_[0]; }
    int write_end() const { return ends_[1]; }

private:
    std::array<int, 2> ends_{-1, -1};
};

TEST_F(UniqueFdTest, DefaultHoldsNothing) {
    const UniqueFd fd;
    EXPECT_EQ(fd.get(), -1);
    EXPECT_FALSE(fd);
}

TEST_F(UniqueFdTest, HoldsTheDescriptorItIsGiven) {
    const UniqueFd fd(read_end());
    EXPECT_EQ(fd.get(), read_end());
    EXPECT_TRUE(fd);
}

TEST_F(UniqueFdTest, ClosesAtTheEndOfItsScope) {
    { const UniqueFd fd(read_end()); }
    EXPECT_FALSE(is_open(read_end()));
    EXPECT_TRUE(is_open(write_end()));
}

TEST_F(UniqueFdTest, ReleaseGivesUpWithoutClosing) {
    {
        UniqueFd fd(read_end());
        EXPECT_EQ(fd.release(), read_end());
        EXPECT_FALSE(fd);
    }
    EXPECT_TRUE(is_open(read_end()));
}

TEST_F(UniqueFdTest, ResetClosesTheOldDescriptorAndHoldsTheNew) {
    UniqueFd fd(read_end());
    fd.reset(write_end());
    EXPECT_FALSE(is_open(read_end()));
    EXPECT_TRUE(is_open(write_end()));
    EXPECT_EQ(fd.get(), write_end());
    fd.reset();
    EXPECT_FALSE(is_open(write_end()));
    EXPECT_FALSE(fd);
}

TEST_F(UniqueFdTest, ResetToTheSameDescriptorKeepsItOpen) {
    UniqueFd fd(read_end());
    fd.reset(read_end());
    EXPECT_TRUE(is_open(read_end()));
    EXPECT_EQ(fd.get(), read_end());
}

TEST_F(UniqueFdTest, ClosingLeavesErrnoAloneEvenWhenCloseFails) {
    // A destructor often runs between a failed call and the throw_errno() reporting it.
    // A close() that succeeds leaves errno alone anyway: make this one fail (EBADF).
    ::close(read_end());
    UniqueFd fd(read_end());
    errno = ENOENT;
    fd.reset();
    EXPECT_EQ(errno, ENOENT);
}

TEST_F(UniqueFdTest, MoveConstructionTransfersOwnership) {
    UniqueFd from(read_end());
    {
        const UniqueFd to(std::move(from));
        EXPECT_EQ(to.get(), read_end());
        EXPECT_FALSE(from);  // NOLINT(bugprone-use-after-move): the moved-from state is defined
    }
    EXPECT_FALSE(is_open(read_end()));
}

TEST_F(UniqueFdTest, MoveAssignmentClosesWhatTheTargetHeld) {
    UniqueFd from(read_end());
    UniqueFd to(write_end());
    to = std::move(from);
    EXPECT_FALSE(is_open(write_end()));
    EXPECT_TRUE(is_open(read_end()));
    EXPECT_EQ(to.get(), read_end());
    EXPECT_FALSE(from);  // NOLINT(bugprone-use-after-move)
}

TEST_F(UniqueFdTest, SelfMoveAssignmentKeepsTheDescriptor) {
    UniqueFd fd(read_end());
    auto& same = fd;
    fd = std::move(same);
    EXPECT_TRUE(is_open(read_end()));
    EXPECT_EQ(fd.get(), read_end());
}

}  // namespace
}  // namespace container
