// Container paths: normalise_destination(), path_depth(), is_within().
#include <gtest/gtest.h>

#include "container/volume.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

TEST(NormaliseDestination, FoldsDotsAndSlashes) {
    for (const auto& [given, expected] : std::vector<std::pair<std::string, std::string>>{
             {"/data", "/data"},
             {"/data/", "/data"},
             {"/data//", "/data"},
             {"//data", "/data"},
             {"/a//b", "/a/b"},
             {"/a/./b", "/a/b"},
             {"/./a/.", "/a"},
             {"/a/b/..", "/a"},
             {"/a/b/../c", "/a/c"},
             {"/a/../../b", "/b"},
             {"/a/..b/c", "/a/..b/c"},
             {"/a/.b", "/a/.b"},
             {"/a/.../b", "/a/.../b"},
         }) {
        EXPECT_EQ(normalise_destination(given), expected) << given;
    }
}

TEST(NormaliseDestination, DotDotNeverClimbsAboveTheRoot) {
    for (const std::string path : {"/", "//", "/.", "/..", "/../..", "/./", "/a/..", "/a/../.."}) {
        EXPECT_EQ(normalise_destination(path), "/") << path;
    }
    EXPECT_EQ(normalise_destination("/../../etc"), "/etc");
}

TEST(NormaliseDestination, RelativePathIsRejected) {
    for (const std::string path : {"data", "./data", "../data", ""}) {
        EXPECT_EQ(testing::error_message([&] { (void)normalise_destination(path); }),
                  "mount path must be absolute: " + path)
            << path;
    }
}

TEST(PathDepth, CountsComponents) {
    EXPECT_EQ(path_depth("/"), 0U);
    EXPECT_EQ(path_depth("/a"), 1U);
    EXPECT_EQ(path_depth("/a/b"), 2U);
    EXPECT_EQ(path_depth("/a/b/c"), 3U);
    EXPECT_EQ(path_depth("/long name/x"), 2U);
}

TEST(IsWithin, APathIsWithinItself) {
    EXPECT_TRUE(is_within("/a", "/a"));
    EXPECT_TRUE(is_within("/", "/"));
}

TEST(IsWithin, DescendantsAreWithin) {
    EXPECT_TRUE(is_within("/a/b", "/a"));
    EXPECT_TRUE(is_within("/a/b/c", "/a"));
    EXPECT_TRUE(is_within("/a/b/c", "/a/b"));
}

TEST(IsWithin, EverythingIsWithinTheRoot) {
    EXPECT_TRUE(is_within("/a", "/"));
    EXPECT_TRUE(is_within("/a/b", "/"));
}

TEST(IsWithin, APathSharingOnlyAPrefixOfItsNameIsNot) {
    EXPECT_FALSE(is_within("/ab", "/a"));
    EXPECT_FALSE(is_within("/a/bc", "/a/b"));
}

TEST(IsWithin, ParentsAndSiblingsAreNot) {
    EXPECT_FALSE(is_within("/a", "/a/b"));
    EXPECT_FALSE(is_within("/", "/a"));
    EXPECT_FALSE(is_within("/b", "/a"));
    EXPECT_FALSE(is_within("/b/a", "/a"));
}

TEST(IsWithin, ComparesNormalisedPaths) {
    EXPECT_TRUE(is_within("/a/b/", "/a/"));
    EXPECT_TRUE(is_within("/a/./b", "/a"));
    EXPECT_TRUE(is_within("//a//b", "/a"));
    EXPECT_FALSE(is_within("/a/../b", "/a"));
}

}  // namespace
}  // namespace container
