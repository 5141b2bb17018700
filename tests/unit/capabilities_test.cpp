// The command's capabilities: the default set, names, and Docker's rules for
// --cap-add and --cap-drop.
#include <gtest/gtest.h>

#include <linux/capability.h>

#include <string>
#include <vector>

#include "container/capabilities.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

using Names = std::vector<std::string>;

constexpr CapabilitySet bit(int number) {
    return CapabilitySet{1} << number;
}

/// Docker's default set, as /proc/self/status shows it in a Docker container: a80425fb.
constexpr CapabilitySet kDockerDefaults = 0xa80425fb;

CapabilitySet adjusted(const Names& added, const Names& dropped) {
    return command_capabilities(added, dropped);
}

std::string unknown(const Names& added, const Names& dropped) {
    return testing::error_message([&] { (void)command_capabilities(added, dropped); });
}

TEST(DefaultCapabilities, AreDockersWithoutMknod) {
    EXPECT_EQ(default_capabilities(), kDockerDefaults & ~bit(CAP_MKNOD));
    EXPECT_EQ(default_capabilities(), 0xa00425fbU);
}

TEST(DefaultCapabilities, LackWhatWouldUndoAReadOnlyVolume) {
    for (const int number : {CAP_SYS_ADMIN, CAP_MKNOD, CAP_SYS_MODULE, CAP_SYS_RAWIO,
                             CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_NET_ADMIN}) {
        EXPECT_EQ(default_capabilities() & bit(number), 0U) << capability_name(number);
    }
}

TEST(AllCapabilities, AreTheFortyOneOfLinux) {
    EXPECT_EQ(all_capabilities(), bit(CAP_LAST_CAP + 1) - 1);
    EXPECT_EQ(all_capabilities(), 0x1ffffffffffU);
}

TEST(CapabilityName, HasTheCapPrefix) {
    EXPECT_EQ(capability_name(CAP_CHOWN), "CAP_CHOWN");
    EXPECT_EQ(capability_name(CAP_SYS_ADMIN), "CAP_SYS_ADMIN");
    EXPECT_EQ(capability_name(CAP_CHECKPOINT_RESTORE), "CAP_CHECKPOINT_RESTORE");
    EXPECT_EQ(capability_name(63), "capability 63");
}

TEST(CommandCapabilities, NothingGivenIsTheDefault) {
    EXPECT_EQ(adjusted({}, {}), default_capabilities());
}

TEST(CommandCapabilities, NamesWithOrWithoutCapInAnyCase) {
    const CapabilitySet with_admin = default_capabilities() | bit(CAP_SYS_ADMIN);
    for (const std::string name : {"SYS_ADMIN", "sys_admin", "Sys_Admin", "CAP_SYS_ADMIN",
                                   "cap_sys_admin", "Cap_Sys_Admin"}) {
        EXPECT_EQ(adjusted({name}, {}), with_admin) << name;
    }
}

TEST(CommandCapabilities, DropTakesAwayFromTheDefault) {
    EXPECT_EQ(adjusted({}, {"chown"}), default_capabilities() & ~bit(CAP_CHOWN));
    EXPECT_EQ(adjusted({}, {"CAP_CHOWN", "kill"}),
              default_capabilities() & ~bit(CAP_CHOWN) & ~bit(CAP_KILL));
    // Dropping one the default has not got changes nothing.
    EXPECT_EQ(adjusted({}, {"SYS_ADMIN"}), default_capabilities());
}

TEST(CommandCapabilities, AddingWinsOverDroppingTheSameOne) {
    EXPECT_EQ(adjusted({"CHOWN"}, {"CHOWN"}), default_capabilities());
    EXPECT_EQ(adjusted({"MKNOD"}, {"mknod"}), default_capabilities() | bit(CAP_MKNOD));
}

TEST(CommandCapabilities, DropAllLeavesOnlyTheAdded) {
    EXPECT_EQ(adjusted({}, {"ALL"}), 0U);
    EXPECT_EQ(adjusted({}, {"all"}), 0U);
    EXPECT_EQ(adjusted({"NET_BIND_SERVICE"}, {"ALL"}), bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(adjusted({"kill", "chown"}, {"chown", "ALL"}), bit(CAP_KILL) | bit(CAP_CHOWN));
}

TEST(CommandCapabilities, AddAllGivesEverythingButTheDropped) {
    EXPECT_EQ(adjusted({"ALL"}, {}), all_capabilities());
    EXPECT_EQ(adjusted({"All"}, {"SYS_ADMIN"}), all_capabilities() & ~bit(CAP_SYS_ADMIN));
    // As Docker: adding ALL wins over dropping ALL.
    EXPECT_EQ(adjusted({"ALL"}, {"ALL"}), all_capabilities());
}

TEST(CommandCapabilities, UnknownNameIsOneErrorNamingTheOptionAndTheName) {
    EXPECT_EQ(unknown({"SYS_ADMN"}, {}),
              "--cap-add: unknown capability: 'SYS_ADMN' (a name of capabilities(7), such as "
              "SYS_ADMIN or CAP_SYS_ADMIN, or ALL)");
    EXPECT_TRUE(unknown({}, {"bogus"}).starts_with("--cap-drop: unknown capability: 'bogus' "));
}

TEST(CommandCapabilities, AlmostNamesAreUnknown) {
    for (const std::string name : {"", "CAP_", "CAP_ALL", "ALLL", " CHOWN", "CHOWN ", "CAP-CHOWN",
                                   "CAPCHOWN", "21", "CAP_CAP_CHOWN", "CHOWN,KILL"}) {
        EXPECT_NE(unknown({name}, {}), "") << "'" << name << "'";
    }
}

TEST(CommandCapabilities, ATypoIsAnErrorEvenWhenAllMakesItRedundant) {
    EXPECT_NE(unknown({"ALL", "SYS_ADMN"}, {}), "");
    EXPECT_NE(unknown({"CHOWN"}, {"ALL", "KIL"}), "");
}

TEST(CouldTakeOverInit, WithSysPtraceButNotEveryCapability) {
    EXPECT_FALSE(could_take_over_init(default_capabilities()));
    EXPECT_FALSE(could_take_over_init(default_capabilities() | bit(CAP_SYS_ADMIN)));
    EXPECT_FALSE(could_take_over_init(0));
    EXPECT_TRUE(could_take_over_init(default_capabilities() | bit(CAP_SYS_PTRACE)));
    EXPECT_TRUE(could_take_over_init(bit(CAP_SYS_PTRACE)));
    EXPECT_TRUE(could_take_over_init(all_capabilities() & ~bit(CAP_SYS_ADMIN)));
    // With every capability there is nothing more to take.
    EXPECT_FALSE(could_take_over_init(all_capabilities()));
}

}  // namespace
}  // namespace container
