/// @file capabilities.hpp
/// @brief What the command may do as root: the capabilities it starts with.
///
/// Root in a container is still root on the host's kernel: with CAP_SYS_ADMIN the
/// command could remount a `:ro` volume read-write (`mount -o remount,rw,bind /data`),
/// and with CAP_MKNOD make a node of the host's disk and read it. Like Docker, the
/// command gets a short list of capabilities instead of all of them (capabilities(7)).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace container {

/// A set of capabilities: bit N stands for capability N (CAP_CHOWN is 0, CAP_SYS_ADMIN
/// 21), the layout of the CapEff, CapBnd... masks of /proc/PID/status.
using CapabilitySet = std::uint64_t;

/// Docker's default set without CAP_MKNOD: CHOWN, DAC_OVERRIDE, FSETID, FOWNER, NET_RAW,
/// SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE.
/// Docker can grant MKNOD because its device cgroup refuses to open any node but a few
/// harmless ones; this runtime has no such cgroup, so a node of the host's disk made with
/// MKNOD could be opened and read.
[[nodiscard]] CapabilitySet default_capabilities() noexcept;

/// Every capability this runtime knows by name (what `--cap-add ALL` adds).
[[nodiscard]] CapabilitySet all_capabilities() noexcept;

/// "CAP_SYS_ADMIN" for 21, "capability 63" for a number without a name.
[[nodiscard]] std::string capability_name(int number);

/// The capabilities the command gets from `--cap-add` and `--cap-drop`, by Docker's
/// rules: the defaults, minus @p dropped, plus @p added (adding wins). `ALL` among the
/// added means every capability but the dropped ones; `ALL` among the dropped means only
/// the added ones. A name is that of capabilities(7), with or without `CAP_`, in any case
/// (`sys_admin`, `CAP_SYS_ADMIN`), or `ALL`.
/// @throws UsageError naming the option and the unknown name.
[[nodiscard]] CapabilitySet command_capabilities(std::span<const std::string> added,
                                                 std::span<const std::string> dropped);

/// Whether a command with @p set could take over the container's init, and with it every
/// capability: the init keeps all of its own (it unmounts the volumes after the command),
/// and CAP_SYS_PTRACE lets a process ptrace(2) any other of its PID namespace, however
/// many capabilities that one has. It could then make the init call mount(2) for it,
/// which undoes a `:ro` volume. True when @p set has CAP_SYS_PTRACE but not every
/// capability (with every one, there is nothing more to gain).
[[nodiscard]] bool could_take_over_init(CapabilitySet set) noexcept;

/// Makes every program this process executes from now on start with exactly @p keep
/// (as far as this process's bounding set allows): bounding, permitted and effective sets
/// equal, inheritable and ambient sets empty (as Docker's). The caller itself keeps its
/// own permitted and effective sets: the container's init still needs CAP_SYS_ADMIN to
/// unmount the volumes after the command. It works because of how execve(2) gives
/// capabilities to root (capabilities(7)): permitted = bounding (| inheritable, empty
/// here), effective = permitted.
/// @throws std::system_error naming the capability the kernel refused to drop.
void limit_capabilities_of_programs(CapabilitySet keep);

}  // namespace container
