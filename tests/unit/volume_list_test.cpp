// The checks on a whole list of volumes: validate_volumes() and sort_parents_first().
#include <gtest/gtest.h>

#include <algorithm>

#include "container/volume.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

Volume volume_at(const std::string& destination, const std::string& source = "/src") {
    return parse_volume_flag(source + ":" + destination);
}

std::vector<std::filesystem::path> destinations_of(const std::vector<Volume>& volumes) {
    std::vector<std::filesystem::path> destinations;
    for (const auto& volume : volumes) destinations.push_back(volume.destination);
    return destinations;
}

std::string validation_error(const std::vector<Volume>& volumes) {
    return testing::error_message([&] { validate_volumes(volumes); });
}

TEST(ValidateVolumes, AcceptsDistinctAndNestedDestinations) {
    EXPECT_NO_THROW(validate_volumes({}));
    EXPECT_NO_THROW(validate_volumes({volume_at("/d"), volume_at("/d/in"), volume_at("/e")}));
}

TEST(ValidateVolumes, AcceptsOneSourceAtTwoDestinations) {
    EXPECT_NO_THROW(validate_volumes({volume_at("/a", "/src"), volume_at("/b", "/src")}));
}

TEST(ValidateVolumes, RefusesTheSameDestinationTwice) {
    EXPECT_EQ(validation_error({volume_at("/data", "/a"), volume_at("/data", "/b")}),
              "duplicate mount point: /data");
}

TEST(ValidateVolumes, RefusesADuplicateWhateverItsPositionInTheList) {
    EXPECT_EQ(validation_error(
                  {volume_at("/x"), volume_at("/data"), volume_at("/y"), volume_at("/data")}),
              "duplicate mount point: /data");
}

TEST(ValidateVolumes, RefusesDestinationsThatAreEqualOnceNormalised) {
    EXPECT_EQ(validation_error({volume_at("/data/"), volume_at("/x/../data")}),
              "duplicate mount point: /data");
}

TEST(ValidateVolumes, NormalisesDestinationsItselfBeforeComparing) {
    // The parsers normalise, but a list may also be built by hand.
    auto trailing_slash = volume_at("/data");
    trailing_slash.destination = "/data/";
    auto dotted = volume_at("/data");
    dotted.destination = "/x/../data";
    EXPECT_EQ(validation_error({trailing_slash, dotted}), "duplicate mount point: /data");
}

TEST(ValidateVolumes, RefusesADuplicateAcrossVolumeAndMountFlagsWhateverTheirModes) {
    EXPECT_EQ(validation_error({parse_volume_flag("/a:/data:rw"),
                                parse_mount_flag("type=bind,source=/b,target=/data/,readonly")}),
              "duplicate mount point: /data");
}

TEST(SortParentsFirst, PutsParentsBeforeTheirChildren) {
    const auto sorted = sort_parents_first(
        {volume_at("/d/in/deep"), volume_at("/d/in"), volume_at("/d"), volume_at("/e")});
    EXPECT_EQ(destinations_of(sorted),
              (std::vector<std::filesystem::path>{"/d", "/e", "/d/in", "/d/in/deep"}));
}

TEST(SortParentsFirst, KeepsTheGivenOrderAmongVolumesOfTheSameDepth) {
    const auto sorted =
        sort_parents_first({volume_at("/b"), volume_at("/c/x"), volume_at("/a"), volume_at("/c")});
    EXPECT_EQ(destinations_of(sorted),
              (std::vector<std::filesystem::path>{"/b", "/a", "/c", "/c/x"}));
}

TEST(SortParentsFirst, IsStableOnListsLongEnoughForAnUnstableSortToShow) {
    // std::sort insertion-sorts short ranges, which happens to be stable: use enough
    // volumes that only a stable sort keeps the order.
    std::vector<Volume> volumes;
    for (int i = 0; i < 64; ++i) {
        const auto name = std::to_string(i);
        volumes.push_back(volume_at(i % 3 == 0 ? "/deep/" + name : "/" + name));
    }
    const auto sorted = sort_parents_first(volumes);

    std::vector<Volume> expected;
    std::ranges::copy_if(volumes, std::back_inserter(expected),
                         [](const Volume& v) { return path_depth(v.destination) == 1; });
    std::ranges::copy_if(volumes, std::back_inserter(expected),
                         [](const Volume& v) { return path_depth(v.destination) == 2; });
    EXPECT_EQ(destinations_of(sorted), destinations_of(expected));
}

TEST(SortParentsFirst, KeepsEveryVolumeWithItsFlags) {
    const auto sorted = sort_parents_first(
        {parse_volume_flag("/a:/x/y:ro"), parse_mount_flag("type=bind,src=/b,dst=/x")});
    ASSERT_EQ(sorted.size(), 2U);
    EXPECT_EQ(sorted[0], parse_mount_flag("type=bind,src=/b,dst=/x"));
    EXPECT_EQ(sorted[1], parse_volume_flag("/a:/x/y:ro"));
}

}  // namespace
}  // namespace container
