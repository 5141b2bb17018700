// How errors read: the system_error messages, NotImplemented and print_error().
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <string>

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

TEST(Printable, KeepsPrintableAsciiAsItIs) {
    const std::string ascii = " !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~";
    EXPECT_EQ(printable(ascii), ascii);
    EXPECT_EQ(printable(""), "");
}

TEST(Printable, NamesNewlineTabAndCarriageReturn) {
    EXPECT_EQ(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
}

TEST(Printable, EscapesEveryOtherControlCharacterInHex) {
    EXPECT_EQ(printable("\x1b[31mred"), "\\x1b[31mred");
    EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(printable("\x01\x07\x08\x0b\x0c\x1f\x7f"), "\\x01\\x07\\x08\\x0b\\x0c\\x1f\\x7f");
}

TEST(Printable, EveryControlByteIsEscapedAndNoRawOneIsLeft) {
    for (int byte = 0; byte < 0x20; ++byte) {
        const std::string out = printable(std::string(1, static_cast<char>(byte)));
        EXPECT_EQ(out.front(), '\\') << byte;
        EXPECT_TRUE(std::ranges::none_of(out, [](char c) { return c < 0x20 || c == 0x7f; }))
            << byte;
    }
}

TEST(Printable, KeepsTheLettersOfOtherLanguages) {
    for (const std::string text :
         {"caf\xc3\xa9", "\xc2\xa0nbsp", "\xe2\x82\xac", "\xf0\x9f\x93\xa6",
          "\xe6\x97\xa5\xe6\x9c\xac", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf"}) {
        EXPECT_EQ(printable(text), text);
    }
}

TEST(Printable, EscapesC1ControlsThatSomeTerminalsObey) {
    // U+009B is CSI (ESC [) to a terminal that reads C1 controls; raw 0x9B to a Latin-1 one.
    EXPECT_EQ(printable("\xc2\x9b"
                        "31m"),
              "\\xc2\\x9b31m");
    EXPECT_EQ(printable("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f");
    EXPECT_EQ(printable("\x9b"
                        "31m"),
              "\\x9b31m");
}

TEST(Printable, EscapesBytesThatAreNotUtf8) {
    EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");
    EXPECT_EQ(printable("\xc3"), "\\xc3");                             // cut short
    EXPECT_EQ(printable("\xc3\x28"), "\\xc3(");                        // not a continuation byte
    EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(printable("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");           // overlong '/'
    EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
    EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST(PrintError, QuotedTextStaysOnOneLineWithNoRawControlCharacter) {
    ::testing::internal::CaptureStderr();
    print_error("invalid volume specification: '/a\n\x1b[2J:/b'");
    EXPECT_EQ(::testing::internal::GetCapturedStderr(),
              "container: invalid volume specification: '/a\\n\\x1b[2J:/b'\n");
}

TEST(PrintError, WritesOneLineOnStandardError) {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    print_error("mount /data: Permission denied");
    EXPECT_EQ(::testing::internal::GetCapturedStderr(),
              "container: mount /data: Permission denied\n");
    EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
}

}  // namespace
}  // namespace container
