/// @file capabilities.cpp
/// @brief The command's capabilities: names, Docker's rules for --cap-add/--cap-drop, and
///        the kernel calls that limit what a program started by the init may do.
#include "container/capabilities.hpp"

#include <linux/capability.h>  // CAP_* numbers, struct __user_cap_data_struct
#include <sys/prctl.h>         // prctl(2): PR_CAPBSET_DROP, PR_CAP_AMBIENT
#include <sys/syscall.h>       // SYS_capget, SYS_capset
#include <unistd.h>            // syscall(2)

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <string>

#include "container/error.hpp"

namespace container {
namespace {

struct NamedCapability {
    int number;
    std::string_view name;  ///< without its "CAP_"
};

/// Every capability of capabilities(7), by number.
constexpr std::array<NamedCapability, 41> kNames{{
    {CAP_CHOWN, "CHOWN"},
    {CAP_DAC_OVERRIDE, "DAC_OVERRIDE"},
    {CAP_DAC_READ_SEARCH, "DAC_READ_SEARCH"},
    {CAP_FOWNER, "FOWNER"},
    {CAP_FSETID, "FSETID"},
    {CAP_KILL, "KILL"},
    {CAP_SETGID, "SETGID"},
    {CAP_SETUID, "SETUID"},
    {CAP_SETPCAP, "SETPCAP"},
    {CAP_LINUX_IMMUTABLE, "LINUX_IMMUTABLE"},
    {CAP_NET_BIND_SERVICE, "NET_BIND_SERVICE"},
    {CAP_NET_BROADCAST, "NET_BROADCAST"},
    {CAP_NET_ADMIN, "NET_ADMIN"},
    {CAP_NET_RAW, "NET_RAW"},
    {CAP_IPC_LOCK, "IPC_LOCK"},
    {CAP_IPC_OWNER, "IPC_OWNER"},
    {CAP_SYS_MODULE, "SYS_MODULE"},
    {CAP_SYS_RAWIO, "SYS_RAWIO"},
    {CAP_SYS_CHROOT, "SYS_CHROOT"},
    {CAP_SYS_PTRACE, "SYS_PTRACE"},
    {CAP_SYS_PACCT, "SYS_PACCT"},
    {CAP_SYS_ADMIN, "SYS_ADMIN"},
    {CAP_SYS_BOOT, "SYS_BOOT"},
    {CAP_SYS_NICE, "SYS_NICE"},
    {CAP_SYS_RESOURCE, "SYS_RESOURCE"},
    {CAP_SYS_TIME, "SYS_TIME"},
    {CAP_SYS_TTY_CONFIG, "SYS_TTY_CONFIG"},
    {CAP_MKNOD, "MKNOD"},
    {CAP_LEASE, "LEASE"},
    {CAP_AUDIT_WRITE, "AUDIT_WRITE"},
    {CAP_AUDIT_CONTROL, "AUDIT_CONTROL"},
    {CAP_SETFCAP, "SETFCAP"},
    {CAP_MAC_OVERRIDE, "MAC_OVERRIDE"},
    {CAP_MAC_ADMIN, "MAC_ADMIN"},
    {CAP_SYSLOG, "SYSLOG"},
    {CAP_WAKE_ALARM, "WAKE_ALARM"},
    {CAP_BLOCK_SUSPEND, "BLOCK_SUSPEND"},
    {CAP_AUDIT_READ, "AUDIT_READ"},
    {CAP_PERFMON, "PERFMON"},
    {CAP_BPF, "BPF"},
    {CAP_CHECKPOINT_RESTORE, "CHECKPOINT_RESTORE"},
}};

constexpr CapabilitySet bit(int number) {
    return CapabilitySet{1} << number;
}

/// Docker's defaults (moby's oci/defaults.go) without CAP_MKNOD: see default_capabilities().
constexpr std::array kDefaults{
    CAP_CHOWN,      CAP_DAC_OVERRIDE, CAP_FSETID,      CAP_FOWNER,  CAP_NET_RAW,
    CAP_SETGID,     CAP_SETUID,       CAP_SETFCAP,     CAP_SETPCAP, CAP_NET_BIND_SERVICE,
    CAP_SYS_CHROOT, CAP_KILL,         CAP_AUDIT_WRITE,
};

std::string upper_case(std::string_view text) {
    std::string upper(text);
    std::ranges::transform(upper, upper.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return upper;
}

bool is_all(std::string_view name) {
    return upper_case(name) == "ALL";
}

/// The set one name stands for; @p option names the option in the error.
CapabilitySet named_capability(std::string_view name, std::string_view option) {
    std::string wanted = upper_case(name);
    if (wanted.starts_with("CAP_")) wanted.erase(0, 4);
    const auto found = std::ranges::find(kNames, wanted, &NamedCapability::name);
    if (found == kNames.end()) {
        throw UsageError(std::string{option} + ": unknown capability: '" + std::string{name} +
                         "' (a name of capabilities(7), such as SYS_ADMIN or CAP_SYS_ADMIN, "
                         "or ALL)");
    }
    return bit(found->number);
}

}  // namespace

CapabilitySet default_capabilities() noexcept {
    CapabilitySet set = 0;
    for (const int number : kDefaults) set |= bit(number);
    return set;
}

CapabilitySet all_capabilities() noexcept {
    CapabilitySet set = 0;
    for (const NamedCapability& capability : kNames) set |= bit(capability.number);
    return set;
}

std::string capability_name(int number) {
    const auto found = std::ranges::find(kNames, number, &NamedCapability::number);
    if (found == kNames.end()) return "capability " + std::to_string(number);
    return "CAP_" + std::string{found->name};
}

CapabilitySet command_capabilities(std::span<const std::string> added,
                                   std::span<const std::string> dropped) {
    CapabilitySet add = 0;
    CapabilitySet drop = 0;
    bool add_all = false;
    bool drop_all = false;
    // Every name is checked, even those an ALL makes redundant: a typo is an error.
    for (const auto& name : added) {
        if (is_all(name))
            add_all = true;
        else
            add |= named_capability(name, "--cap-add");
    }
    for (const auto& name : dropped) {
        if (is_all(name))
            drop_all = true;
        else
            drop |= named_capability(name, "--cap-drop");
    }
    if (add_all) return all_capabilities() & ~drop;
    if (drop_all) return add;
    return (default_capabilities() & ~drop) | add;
}

bool could_take_over_init(CapabilitySet set) noexcept {
    return (set & bit(CAP_SYS_PTRACE)) != 0 && set != all_capabilities();
}

void limit_capabilities_of_programs(CapabilitySet keep) {
    // The bounding set caps what any later execve(2) can give. Dropping from it changes
    // nothing for this process's own permitted and effective sets. Both calls fail with
    // EINVAL past the last capability the running kernel knows.
    for (int number = 0; number < 64; ++number) {
        if ((keep & bit(number)) != 0) continue;
        if (::prctl(PR_CAPBSET_DROP, number, 0, 0, 0) == 0) continue;
        if (errno == EINVAL) break;  // past the kernel's last capability
        throw_errno("drop from the bounding set", capability_name(number));
    }

    // The inheritable set empty, as Docker's since CVE-2022-24769. Root does not need it:
    // its programs get the bounding set anyway. But a program that is not root gets
    // inheritable & (the file's inheritable capabilities), so with an inheritable set
    // equal to the bounding set, a user of the container that is not root would gain
    // CAP_DAC_OVERRIDE, say, by running a file of the image marked with it.
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
    if (::syscall(SYS_capget, &header, data.data()) != 0) {
        throw_errno("capget", "");
    }
    for (auto& half : data) half.inheritable = 0;
    if (::syscall(SYS_capset, &header, data.data()) != 0) {
        throw_errno("capset (inheritable set)", "");
    }

    // Ambient capabilities would survive execve(2) even for a program that is not root.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
        throw_errno("clear the ambient capabilities", "");
    }
}

}  // namespace container
