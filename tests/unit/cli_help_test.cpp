// The help texts: what a user needs from them is there, and accurate.
#include <gtest/gtest.h>

#include <sstream>

#include "container/cli.hpp"
#include "container/error.hpp"

namespace container {
namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// The line of @p text that starts (after indentation) with @p start, or "".
std::string line_starting_with(const std::string& text, const std::string& start) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.find_first_not_of(' ') != std::string::npos &&
            line.substr(line.find_first_not_of(' ')).starts_with(start)) {
            return line;
        }
    }
    return "";
}

const std::string kVolumeExample = "container run -v /srv/data:/data busybox sh";
const std::string kMountExample =
    "container run --mount type=bind,source=/etc/hosts,target=/etc/hosts,readonly busybox cat "
    "/etc/hosts";

TEST(GeneralHelp, StartsWithTheUsageLine) {
    EXPECT_TRUE(general_help().starts_with("Usage: container [--help] COMMAND"));
}

TEST(GeneralHelp, ListsBothCommandsWithTheirSynopsis) {
    EXPECT_NE(line_starting_with(general_help(), "run [OPTIONS] IMAGE CMD [ARG...]"), "");
    EXPECT_NE(line_starting_with(general_help(), "import TARBALL NAME"), "");
}

TEST(GeneralHelp, ListsItsOption) {
    EXPECT_NE(line_starting_with(general_help(), "-h, --help"), "");
}

TEST(RunHelp, StartsWithTheUsageLine) {
    EXPECT_TRUE(run_help().starts_with("Usage: container run [OPTIONS] IMAGE CMD [ARG...]\n"));
}

TEST(RunHelp, ListsEveryOption) {
    EXPECT_NE(line_starting_with(run_help(), "-v, --volume SRC:DST[:MODE]"), "");
    EXPECT_NE(line_starting_with(run_help(), "--mount type=bind,source=SRC,target=DST"), "");
    EXPECT_NE(line_starting_with(run_help(), "-v, --volume NAME:DST"), "");
    EXPECT_NE(line_starting_with(run_help(), "--tmpfs DST"), "");
    EXPECT_NE(line_starting_with(run_help(), "--mount type=volume"), "");
    EXPECT_NE(line_starting_with(run_help(), "--mount type=tmpfs"), "");
    EXPECT_NE(line_starting_with(run_help(), "--rm"), "");
    EXPECT_NE(line_starting_with(run_help(), "--hostname NAME"), "");
    EXPECT_NE(line_starting_with(run_help(), "-h, --help"), "");
}

TEST(RunHelp, ListsThePrivilegeAndLimitOptions) {
    EXPECT_NE(line_starting_with(run_help(), "--cap-add CAP, --cap-drop CAP"), "");
    EXPECT_NE(line_starting_with(run_help(), "--privileged"), "");
    EXPECT_NE(line_starting_with(run_help(), "--stop-timeout SECONDS"), "");
    EXPECT_NE(line_starting_with(run_help(), "--layer-size SIZE"), "");
}

TEST(RunHelp, GivesTheDefaultStopTimeoutAndLayerSize) {
    EXPECT_TRUE(contains(run_help(), "(default: 10)"));
    EXPECT_TRUE(contains(run_help(), "default: 1g)"));
}

TEST(RunHelp, SaysWhereTheLayerIsReally) {
    // It is mounted over the image's directory, in the container's namespace: no
    // directory of $TMPDIR is ever made.
    EXPECT_FALSE(contains(run_help(), "TMPDIR"));
    EXPECT_TRUE(contains(run_help(), "mounted over the image's"));
}

TEST(RunHelp, GivesTheDefaultHostname) {
    EXPECT_TRUE(contains(run_help(), "(default: " + RunOptions{}.hostname + ")"));
}

TEST(RunHelp, SaysWhereOptionsEnd) {
    EXPECT_TRUE(contains(run_help(), "Options end at IMAGE"));
}

/// Both texts document the exit statuses and give the two examples.
class HelpText : public ::testing::TestWithParam<std::string (*)()> {};

TEST_P(HelpText, DocumentsEveryExitStatus) {
    const auto text = GetParam()();
    ASSERT_TRUE(contains(text, "Exit status:\n"));
    for (const int status : {kExitRuntimeError, kExitCannotExecute, kExitNotFound}) {
        EXPECT_NE(line_starting_with(text, std::to_string(status) + " "), "") << status;
    }
    EXPECT_TRUE(contains(text, "128+N"));
}

TEST_P(HelpText, GivesBothExamples) {
    const auto text = GetParam()();
    EXPECT_NE(line_starting_with(text, kVolumeExample), "");
    EXPECT_NE(line_starting_with(text, kMountExample), "");
}

TEST_P(HelpText, EndsWithANewlineAndNoBlankLine) {
    const auto text = GetParam()();
    EXPECT_TRUE(text.ends_with("\n"));
    EXPECT_FALSE(text.ends_with("\n\n"));
}

INSTANTIATE_TEST_SUITE_P(BothTexts, HelpText, ::testing::Values(&general_help, &run_help));

}  // namespace
}  // namespace container
