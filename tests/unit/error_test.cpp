// How errors read: the system_error messages, NotImplemented and print_error().
#include <gtest/gtest.h>

#include <cerrno>

#include "container/error.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

TEST(ThrowErrno, MessageNamesTheActionThePathAndTheErrno) {
    errno = EACCES;
    try {
        throw_errno("mkdir", "/srv/data");
        FAIL() << "threw nothing";
    } catch (const std::system_error& error) {
        EXPECT_STREQ(error.what(), "mkdir /srv/data: Permission denied");
        EXPECT_EQ(error.code(), std::errc::permission_denied);
        EXPECT_EQ(error.code().value(), EACCES);
    }
}

TEST(ThrowError, UsesTheGivenNumberRatherThanErrno) {
    errno = EACCES;
    try {
        throw_error(ENOENT, "mount", "/a");
        FAIL() << "threw nothing";
    } catch (const std::system_error& error) {
        EXPECT_STREQ(error.what(), "mount /a: No such file or directory");
        EXPECT_EQ(error.code(), std::errc::no_such_file_or_directory);
    }
}

TEST(ThrowError, PathIsPrintedAsItIsNotQuoted) {
    EXPECT_EQ(testing::error_message<std::system_error>(
                  [] { throw_error(EBUSY, "rmdir", "/a dir/with \"quotes\""); }),
              "rmdir /a dir/with \"quotes\": Device or resource busy");
}

TEST(ThrowError, EmptyPathLeavesOnlyTheAction) {
    EXPECT_EQ(testing::error_message<std::system_error>([] { throw_error(EINVAL, "unshare", ""); }),
              "unshare: Invalid argument");
}

TEST(NotImplemented, NamesTheFunction) {
    EXPECT_EQ(testing::error_message<NotImplemented>([] { not_implemented("setup_volume"); }),
              "setup_volume is not implemented yet");
}

TEST(NotImplemented, IsALogicErrorNotAUsageOrSystemError) {
    EXPECT_THROW(not_implemented("f"), std::logic_error);
}

TEST(PrintError, WritesOneLineOnStandardError) {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    print_error("mount /data: Permission denied");
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "container: mount /data: Permission denied\n");
    EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
}

}  // namespace
}  // namespace container
